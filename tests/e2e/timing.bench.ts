// The browser timing run: how long the built page takes to show its figures, and how long one
// edit takes to reach the screen. It reports figures; it asserts nothing about speed.
import { expect, test } from "@playwright/test";
import { writeFileSync, mkdirSync } from "node:fs";

test("page load and edit latency", async ({ page }) => {
  await page.goto("./");
  await expect(page.getByTestId("burn-rate")).toHaveText("5×");
  const load = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return { domContentLoaded: nav.domContentLoadedEventEnd, figuresShownAt: performance.now() };
  });

  const edits = 100;
  const perEdit = await page.evaluate(async (n) => {
    const input = document.querySelector<HTMLInputElement>("#error-ratio")!;
    const burn = document.querySelector('[data-testid="burn-rate"]')!;
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const ratio = (0.001 * (1 + (i % 50))).toFixed(3);
      input.value = ratio;
      input.dispatchEvent(new InputEvent("input", { bubbles: true }));
      const want = `${Math.round((Number(ratio) / 0.001) * 1000) / 1000}×`;
      while (burn.textContent !== want) await new Promise((r) => setTimeout(r, 0));
    }
    return (performance.now() - start) / n;
  }, edits);

  const report = {
    dom_content_loaded_ms: Math.round(load.domContentLoaded),
    figures_shown_ms: Math.round(load.figuresShownAt),
    edit_to_screen_ms: Math.round(perEdit * 100) / 100,
    edits,
  };
  console.log(`browser timing: ${JSON.stringify(report)}`);
  mkdirSync("../../target/bench", { recursive: true });
  writeFileSync("../../target/bench/browser-timing.json", JSON.stringify(report, null, 2));
});
