// Latency as a person sees it, for the browser timing runs: the field is focused, its text
// selected with Ctrl+A, and the new value typed as real key events (Chromium's input pipeline,
// through the DevTools protocol) with a pause between keys; the time runs from the last key's
// `keydown` (its event timestamp, taken when the browser received the key) to the end of the
// first frame painted after the screen shows the answer. The machine's load is read beside it.
import type { Page } from "@playwright/test";
import { cpus, loadavg } from "node:os";
import { readFileSync } from "node:fs";

/** Milliseconds between keys: a quick typist. */
export const KEY_DELAY_MS = 40;

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
export const round = (x: number) => Math.round(x * 100) / 100;

/** How an answer is recognised: the target's text equals the wanted text, contains it, has it as
 * its `data-for`, or (with `generation`) its `data-generation` moved on after the last key. */
export type Check = "text" | "includes" | "data-for" | "generation";

/** Times `edits` typed edits of the field `input`, cycling through `values` (what to type, and
 * what `target` shows once the answer is there). Returns milliseconds per edit. */
export async function timeTyped(
  page: Page,
  input: string,
  target: string,
  values: [string, string][],
  edits: number,
  check: Check = "text",
): Promise<number[]> {
  await page.locator(input).focus();
  const times: number[] = [];
  for (let i = 0; i < edits; i++) {
    const [value, want] = values[i % values.length];
    await page.evaluate(
      ({ input, target, value, want, check }) => {
        const w = window as any;
        const field = document.querySelector<HTMLInputElement>(input)!;
        if (!w.__keys) {
          w.__keys = { last: 0 };
          document.addEventListener("keydown", (e) => (w.__keys.last = e.timeStamp), { capture: true });
        }
        const el = () => document.querySelector(target);
        let generation: string | null | undefined;
        const shown = () => {
          if (field.value !== value) return false;
          const t = el();
          if (check === "includes") return t?.textContent?.includes(want) ?? false;
          if (check === "data-for") return t?.getAttribute("data-for") === want;
          if (check === "generation") return generation !== undefined && t?.getAttribute("data-generation") !== generation;
          return t?.textContent === want;
        };
        w.__edit = new Promise<{ key: number; painted: number }>((resolve) => {
          let fired = false;
          const finish = () => {
            if (fired || !shown()) return;
            fired = true;
            observer.disconnect();
            field.removeEventListener("input", onInput);
            const key = w.__keys.last;
            // The rendering step runs the frame callback, then style, layout and paint; a task
            // posted from it runs once that frame is painted.
            requestAnimationFrame(() => {
              const channel = new MessageChannel();
              channel.port1.onmessage = () => resolve({ key, painted: performance.now() });
              channel.port2.postMessage(0);
            });
          };
          const observer = new MutationObserver(finish);
          observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
          const onInput = () => {
            // The run on screen when the last key lands is the one to see replaced.
            if (check === "generation" && field.value === value) generation = el()?.getAttribute("data-generation");
            queueMicrotask(finish);
          };
          field.addEventListener("input", onInput);
        });
      },
      { input, target, value, want, check },
    );
    await page.keyboard.press("Control+a");
    await page.keyboard.type(value, { delay: KEY_DELAY_MS });
    const { key, painted } = await page.evaluate(() => (window as any).__edit as Promise<{ key: number; painted: number }>);
    times.push(painted - key);
    // A person pauses between edits; the next one starts after a quiet frame.
    await page.waitForTimeout(KEY_DELAY_MS);
  }
  return times;
}

/** The machine's load while a timing run ran: the 1-minute load average at its start and end and
 * how busy both cores were over it (every process, the browser included), from /proc/stat. */
export function loadMeter() {
  const busy = () => {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  const start = busy();
  const startLoad = loadavg()[0];
  return () => {
    const end = busy();
    return {
      cores: cpus().length,
      load_1m_start: round(startLoad),
      load_1m_end: round(loadavg()[0]),
      cpu_busy_percent: round((100 * (end.total - start.total - (end.idle - start.idle))) / Math.max(1, end.total - start.total)),
    };
  };
}
