// What a big Alertmanager config costs in the Routing section (only under `cargo xtask bench`):
// a generated config of 5,000 routes (about 1 MB) in the editor. Measured in headless
// Chromium: how long the heavy core takes to read it, how long each keystroke in the editor
// holds the main thread (input event to the next frame), and how long a tester keystroke
// takes to come back answered. Written to target/bench/routing-editor.json.
import { expect, test } from "@playwright/test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROUTES = 5000;

/** A config of `ROUTES` routes in 50 teams, each with two matchers, timers and a receiver. */
function bigConfig(): string {
  const lines = [
    "route:",
    "  receiver: default",
    "  group_by: [alertname, team]",
    "  routes:",
  ];
  for (let t = 0; t < 50; t++) {
    lines.push(`    - receiver: team-${t}`, `      matchers: ['team="team-${t}"']`, "      routes:");
    for (let r = 0; r < ROUTES / 50 - 1; r++) {
      lines.push(
        `        - receiver: team-${t}-${r % 3 === 0 ? "pager" : "chat"}`,
        `          matchers: ['service=~"svc-${r}-.*"', 'severity="${r % 3 === 0 ? "page" : "ticket"}"']`,
        `          group_wait: ${10 + (r % 50)}s`,
        `          repeat_interval: ${1 + (r % 11)}h`,
      );
    }
  }
  lines.push("receivers:", "  - name: default");
  for (let t = 0; t < 50; t++) {
    lines.push(`  - name: team-${t}`, `  - name: team-${t}-pager`, `  - name: team-${t}-chat`);
  }
  // Padding comments bring the text to about 1 MB, as a real config with long templates is.
  const text = lines.join("\n") + "\n";
  const pad = "# " + "x".repeat(78) + "\n";
  return text + pad.repeat(Math.max(0, Math.ceil((1_000_000 - text.length) / pad.length)));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

test("a 5,000-route, 1 MB config keeps the editor responsive", async ({ page }) => {
  test.setTimeout(180_000);
  const config = bigConfig();
  await page.goto("./#routing");
  await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 30_000 });

  const editor = page.getByTestId("am-config");
  // Set the text as a paste does (one input event); Playwright's `fill` types it through the
  // browser's text input machinery, which alone takes minutes for 1 MB.
  const t0 = Date.now();
  const inputMs: number = await editor.evaluate((el, text) => {
    const start = performance.now();
    (el as HTMLTextAreaElement).value = text;
    el.dispatchEvent(new InputEvent("input", { bubbles: true }));
    return performance.now() - start;
  }, config);
  await expect(page.getByTestId("am-status")).toHaveText(new RegExp(`Valid: ${ROUTES + 1} routes`), { timeout: 60_000 });
  const readMs = Date.now() - t0;

  // Each keystroke: input event to the next animation frame, on the main thread.
  await page.evaluate(() => {
    const w = window as any;
    w.__keys = [];
    document.querySelector("[data-testid=am-config]")!.addEventListener("input", () => {
      const start = performance.now();
      requestAnimationFrame(() => w.__keys.push(performance.now() - start));
    });
  });
  await editor.focus();
  await page.keyboard.press("Control+End");
  const typedAt = Date.now();
  await page.keyboard.type("# typing at the end of a big config", { delay: 30 });
  await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 60_000 });
  const settledMs = Date.now() - typedAt;
  const keys: number[] = await page.evaluate(() => (window as any).__keys);

  // A tester keystroke on the big config: the config is not sent again.
  const labels = "team=team-7, service=svc-33-a, severity=page";
  const testAt = Date.now();
  await page.getByTestId("route-labels").fill(labels);
  await expect(page.getByTestId("route-receivers")).toHaveAttribute("data-for", labels, { timeout: 30_000 });
  const testerMs = Date.now() - testAt;
  await expect(page.getByTestId("route-receivers")).toHaveText("team-7-pager");

  const result = {
    routes: ROUTES,
    config_bytes: config.length,
    paste_input_event_ms: inputMs,
    read_after_paste_ms: readMs,
    keystroke_to_frame_ms: { median: median(keys), max: Math.max(...keys), count: keys.length },
    typing_settled_after_last_key_ms: settledMs - 30 * keys.length,
    tester_answer_ms: testerMs,
  };
  const dir = join(__dirname, "../../target/bench");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "routing-editor.json"), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
});
