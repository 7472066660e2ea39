import { mount } from "svelte";
import { z } from "zod";
import App from "./App.svelte";
import "./app.css";

// The page is served under a CSP without 'unsafe-eval'. zod otherwise probes `new Function` to
// compile fast validators, and a strict CSP reports that probe as a violation even when caught.
z.config({ jitless: true });

const target = document.getElementById("app");
if (target === null) throw new Error("index.html has no #app element to mount the dashboard in");

export default mount(App, { target });
