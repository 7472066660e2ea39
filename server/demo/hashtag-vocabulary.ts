/**
 * The demo's hashtags, most popular first (the order is the Zipf rank), as authors spell them.
 * A `/xx` suffix ties a tag to a post language; unsuffixed tags are used in every language.
 *
 * `tags[].name` on the wire is the stored name: Mastodon's normalised form (`Café` -> `cafe`),
 * except for LEGACY_SPELLINGS, tags created before the normaliser that keep their old spelling.
 */
import { storedTagName } from "./tag-names.ts";

const RANKED = `
photography art caturday news MastoArt music fediverse cats politics nature
写真/ja Politik/de dogsofmastodon science gaming SilentSunday books linux opensource climate
猫/ja Ukraine history FediBlock OpenData mastodon birds photo Fotografie/de film
bookstodon travel food programming イラスト/ja Politique/fr Noticias/es space FOSS privacy
poetry writing histodons cycling gardening astronomy security python rustlang javascript
Klimakrise/de Katzen/de Photographie/fr Gatos/es 空/ja 花/ja AcademicChatter WritingCommunity
MonochromeMonday FlowerFriday TreeTuesday WildlifeWednesday ThrowbackThursday FediFilm
Politica/it Brasil/pt Fotografía/es Écologie/fr Climat/fr Bahn/de DeutscheBahn/de Berlin/de
料理/ja ゲーム/ja アニメ/ja 音楽/ja 読書/ja ニュース/ja 日常/ja 東京/ja Café España/es
Paris/fr México/es Fußball/de Tatort/de Datenschutz/de Energiewende/de Mobilitätswende/de
Wissenschaft/de Klimaschutz/de Wandern/de Fahrrad/de Garten/de Kochen/de Buchtipp/de Lesen/de
Wochenende/de Sonntagsfoto/de Österreich/de Schweiz/de München/de Hamburg/de Köln/de Wien/de
Nürnberg/de Zürich/de Bundestag/de Gesundheit/de Nachhaltigkeit/de Frühling/de Herbst/de
Actualités/fr Chats/fr Cinéma/fr Musique/fr Lecture/fr Livres/fr Randonnée/fr Cuisine/fr
Jardinage/fr Vélo/fr Grève/fr Bretagne/fr Québec/fr Montréal/fr Lyon/fr Marseille/fr
Littérature/fr Poésie/fr Santé/fr Numérique/fr LogicielLibre/fr Été/fr Sciences/fr
Política/es Madrid/es Barcelona/es Argentina/es Chile/es Colombia/es Música/es Libros/es
Cine/es Fútbol/es Ciencia/es Educación/es Tecnología/es CambioClimático/es Naturaleza/es
Viajes/es Cocina/es Poesía/es Feminismo/es SoftwareLibre/es Andalucía/es LaLiga/es
大阪/ja 旅行/ja 桜/ja ラーメン/ja ポケモン/ja 鉄道/ja 夕焼け/ja 一次創作/ja お絵描き/ja
俳句/ja 天気/ja 地震/ja プログラミング/ja 技術/ja ポケモン・GO/ja 猫のいる暮らし/ja
fotografia/pt Lisboa/pt Italia/it Roma/it 사진/ko हिन्दी/hi
TwitterMigration DnD MastodonMonday TTRPG Eurovision WorldCup Olympics Election Superbowl Oscars
Earthquake Eclipse Aurora StarTrek DoctorWho Tolkien Discworld knitting crochet sewing
baking coffee tea beer wine vegan cooking recipes breadmaking sourdough
running hiking climbing skiing football baseball cricket F1 tennis chess
retrocomputing homelab selfhosting Debian Fedora ArchLinux NixOS Emacs vim kde
GNOME Firefox Android iOS Apple Microsoft Google Matrix XMPP Pixelfed
PeerTube Lemmy ActivityPub Threads Bluesky journalism media economics labor unions
AcademicMastodon PhDLife highered teaching education librarians archives museums
OpenAccess openscience datascience statistics rstats julialang golang typescript webdev
accessibility a11y UX design typography fonts blender 3D pixelart generativeart
photographers streetphotography landscapephotography macrophotography filmphotography BlackAndWhite
sunset sunrise clouds ocean mountains forest trees mushrooms fungi insects moths
bees butterflies birding birdsofmastodon gulls crows owls ducks frogs
dogs hunde/de catsofmastodon chonk rabbits horses wildlife conservation
biodiversity ClimateCrisis ClimateAction renewables solar heatpumps EVs transit trains
urbanism bikes housing rent healthcare COVID LongCovid disability mentalhealth ADHD
autism neurodiversity LGBTQ trans pride queer feminism humanrights democracy EU
UKPolitics USPolitics Canada Australia NewZealand Ireland India Japan Taiwan Korea
`;

/** Spellings kept as the stored name because the tag predates Mastodon's normaliser. */
const LEGACY_SPELLINGS = new Set(["FediBlock", "Café", "TwitterMigration", "DnD", "MastodonMonday"]);

export interface VocabularyTag {
  /** As authors type it, shown in content: `Café`, `FediBlock`. */
  readonly display: string;
  /** As the server names it in `tags[].name`: `cafe`, or the legacy spelling. */
  readonly name: string;
  /** The post language this tag implies, or null when it is used in every language. */
  readonly language: string | null;
}

function parseToken(token: string): VocabularyTag {
  const [display = token, language = null] = token.split("/");
  const name = LEGACY_SPELLINGS.has(display) ? display : storedTagName(display);
  return { display, name, language };
}

function parseVocabulary(text: string): readonly VocabularyTag[] {
  const seen = new Set<string>();
  const tags: VocabularyTag[] = [];
  for (const token of text.split(/\s+/).filter((part) => part !== "")) {
    const tag = parseToken(token);
    // A repeated tag would split its popularity across two ranks.
    if (seen.has(tag.name.toLowerCase())) continue;
    seen.add(tag.name.toLowerCase());
    tags.push(tag);
  }
  return Object.freeze(tags);
}

export const HASHTAG_VOCABULARY: readonly VocabularyTag[] = parseVocabulary(RANKED);
