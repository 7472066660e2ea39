/**
 * Sentences for generated posts, per language. The aggregator never reads them; they exist so the
 * demo payloads look and weigh like real posts (content HTML of a few hundred bytes).
 */

export const POST_LANGUAGES = ["en", "de", "ja", "fr", "es", "pt", "it"] as const;
export type PostLanguage = (typeof POST_LANGUAGES)[number];

/** Rough shares of languages on a large general-purpose server's federated timeline. */
export const LANGUAGE_WEIGHTS: Readonly<Record<PostLanguage, number>> = {
  en: 0.56,
  de: 0.13,
  ja: 0.1,
  fr: 0.08,
  es: 0.08,
  pt: 0.03,
  it: 0.02,
};

const SENTENCES: Readonly<Record<string, readonly string[]>> = {
  en: [
    "Finally got around to fixing the garden fence this morning.",
    "Is it just me or has the weather been completely unpredictable this week?",
    "New blog post is up, thoughts very welcome.",
    "Spent the whole afternoon reading and I regret nothing.",
    "The train was late again, so here is a picture of the station clock.",
    "Small win today: the build is green for the first time since Monday.",
    "Anyone have a good recommendation for a beginner-friendly sourdough recipe?",
    "Went for a walk and the light was just perfect.",
    "Thread about what I learned moving my servers last weekend.",
    "This is your reminder to drink some water & take a break.",
  ],
  de: [
    "Heute endlich den Keller aufgeräumt, was für ein Gefühl.",
    "Der Zug hatte mal wieder Verspätung, aber immerhin schönes Licht am Bahnsteig.",
    "Kennt jemand ein gutes Buch für lange Winterabende?",
    "Neuer Artikel im Blog, Rückmeldungen sind willkommen.",
    "Kurzer Spaziergang in der Mittagspause, genau das Richtige.",
    "Das Wetter weiß heute auch nicht, was es will.",
  ],
  ja: [
    "今日は朝から雨でしたが、午後は晴れました。",
    "新しい本を読み始めました。とても面白いです。",
    "散歩の途中で見つけた景色です。",
    "やっと仕事が終わった。今夜はゆっくり休みます。",
    "週末に描いた絵をのせます。",
  ],
  fr: [
    "Enfin un peu de soleil après une semaine de pluie.",
    "Nouvel article sur le blog, vos retours sont les bienvenus.",
    "Quelqu'un aurait un bon livre à me conseiller pour les vacances ?",
    "Petite balade en fin de journée, la lumière était magnifique.",
    "Le train est encore en retard, mais le café est bon.",
  ],
  es: [
    "Por fin un poco de sol después de tantos días de lluvia.",
    "Nueva entrada en el blog, cualquier comentario es bienvenido.",
    "¿Alguien me recomienda un buen libro para este verano?",
    "Paseo al atardecer, la luz estaba preciosa.",
    "Hoy tocó arreglar el jardín, estoy agotado pero contento.",
  ],
  pt: [
    "Finalmente um pouco de sol depois de tanta chuva.",
    "Alguém recomenda um bom livro para as férias?",
    "Passeio no fim da tarde, a luz estava linda.",
  ],
  it: [
    "Finalmente un po' di sole dopo una settimana di pioggia.",
    "Qualcuno ha un buon libro da consigliare?",
    "Passeggiata al tramonto, luce perfetta.",
  ],
  hi: ["आज मौसम बहुत अच्छा है।", "नई किताब पढ़ना शुरू किया।"],
  ko: ["오늘 산책하면서 찍은 사진입니다.", "주말에 새로운 책을 읽기 시작했어요."],
};

/** Content warnings authors put on posts, per language. */
const CONTENT_WARNINGS: Readonly<Record<string, readonly string[]>> = {
  en: ["politics", "food", "eye contact", "long post", "news, uspol"],
  de: ["Politik", "Essen", "langer Text"],
  fr: ["politique", "nourriture"],
  es: ["política", "comida"],
};

export function sentencesFor(language: string | null): readonly string[] {
  return SENTENCES[language ?? "en"] ?? SENTENCES["en"] ?? [];
}

export function contentWarningsFor(language: string | null): readonly string[] {
  return CONTENT_WARNINGS[language ?? "en"] ?? CONTENT_WARNINGS["en"] ?? [];
}
