// The heavy-core worker dies and the page carries on. Nothing a user can type is known to
// crash the worker, so these tests make the real release worker stop on purpose: the worker
// answers two string messages (crates/burnlab-worker/src/main.rs, `TEST_PANIC` and
// `TEST_TRAP`), which the page itself never posts (it posts only encoded requests). A panic
// runs the worker's panic hook, which reports the panic's words, then the release build
// aborts; a trap ends the worker without a word. Either way the page must say what happened,
// keep what the user typed, and answer the next edit from a fresh worker.
import { expect, test, type Page } from "@playwright/test";
import { watch } from "./helpers";

/** Keeps every worker the page starts, with the count of `error` events each has fired. */
async function recordWorkers(page: Page) {
  await page.addInitScript(() => {
    const w = window as any;
    const Original: typeof Worker = w.Worker;
    w.__workers = [];
    w.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        const entry = { worker: this, errors: 0 };
        w.__workers.push(entry);
        this.addEventListener("error", () => entry.errors++);
      }
    };
  });
}

/** How many workers the page has started. */
async function workers(page: Page): Promise<number> {
  return page.evaluate(() => (window as any).__workers.length);
}

/**
 * Makes the page's newest worker stop (`panic` or `trap`); when `thenInput` is given, types
 * `value` into that field in the same task, so the page posts a request the worker never
 * answers. Waits until the worker's `error` event has reached the page.
 */
async function stop(page: Page, how: "panic" | "trap", thenInput?: { selector: string; value: string }) {
  const index = await page.evaluate(
    ({ message, thenInput }) => {
      const all = (window as any).__workers;
      all[all.length - 1].worker.postMessage(message);
      if (thenInput) {
        const field = document.querySelector(thenInput.selector) as HTMLInputElement;
        field.value = thenInput.value;
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
      return all.length - 1;
    },
    { message: `burnlab-worker test: ${how}`, thenInput },
  );
  await expect.poll(() => page.evaluate((i) => (window as any).__workers[i].errors, index)).toBe(1);
}

test("a panic in the heavy core while I edit the rules says what happened, keeps my text, and my next edit is answered by a fresh engine", async ({ page, baseURL }) => {
  const guard = await watch(page, baseURL!);
  await recordWorkers(page);
  await page.goto("./#rules");
  const yaml = page.getByTestId("rules-yaml");
  const service = page.locator("#rules-service");
  await service.fill("checkout");
  await expect(yaml).toContainText("alert: CheckoutAvailabilityPage1h");
  expect(await workers(page)).toBe(1);

  await stop(page, "panic");
  // The panic's own words, reported by the worker's hook before it aborted.
  const notice = page.locator(".sections-output").getByRole("alert");
  await expect(notice).toContainText("The rules engine could not run: it stopped on this input (panicked at crates/burnlab-worker/src/main.rs:");
  await expect(notice).toContainText("the crash test asked the heavy core to panic");
  await expect(notice).toContainText("your text is kept, and the engine starts again with your next edit");
  await expect(service).toHaveValue("checkout");
  await expect(yaml).toContainText("alert: CheckoutAvailabilityPage1h");

  await service.fill("payments");
  await expect(yaml).toContainText("alert: PaymentsAvailabilityPage1h");
  await expect(yaml).not.toContainText("Checkout");
  await expect(page.getByRole("alert").filter({ hasText: "could not run" })).toHaveCount(0);
  expect(await workers(page), "a fresh worker answered").toBe(2);

  await page.reload();
  await expect(service).toHaveValue("payments");
  await expect(yaml).toContainText("alert: PaymentsAvailabilityPage1h");
  await guard.check();
});

const CONFIG = `route:
  receiver: fallback
  routes:
    - receiver: crash-pager
      matchers: ['severity="critical"']
receivers:
  - name: fallback
  - name: crash-pager
`;

/** Types labels and waits for the answer to them; returns the receivers shown. */
async function route(page: Page, labels: string): Promise<string> {
  await page.getByTestId("route-labels").fill(labels);
  const out = page.getByTestId("route-receivers");
  await expect(out).toHaveAttribute("data-for", labels, { timeout: 15_000 });
  return (await out.textContent()) ?? "";
}

test("a heavy core that traps while I test routes says it stopped, and my next label set is routed through my own config by a fresh engine", async ({ page, baseURL }) => {
  const guard = await watch(page, baseURL!);
  await recordWorkers(page);
  await page.goto("./#routing");
  await page.getByTestId("am-config").fill(CONFIG);
  await expect(page.getByTestId("am-status")).toHaveText(/Valid: 2 routes, 2 receivers/, { timeout: 15_000 });
  expect(await route(page, "severity=critical")).toBe("crash-pager");

  await stop(page, "trap");
  await expect(page.getByRole("alert").filter({ hasText: "The routing engine could not run" })).toHaveText(
    "The routing engine could not run: it stopped unexpectedly on this input; your text is kept, and the engine starts again with your next edit",
  );
  await expect(page.getByTestId("am-config")).toHaveValue(CONFIG);
  await expect(page.getByTestId("route-labels")).toHaveValue("severity=critical");

  // The fresh worker never saw the config typed before the crash; the page gives it again.
  expect(await route(page, "severity=critical, team=db")).toBe("crash-pager");
  expect(await route(page, "severity=warning")).toBe("fallback");
  await expect(page.getByTestId("am-status")).toHaveText(/Valid: 2 routes, 2 receivers/);
  expect(await workers(page), "a fresh worker answered").toBe(2);

  await page.reload();
  await expect(page.getByTestId("am-config")).toHaveValue(CONFIG);
  await expect(page.getByTestId("route-labels")).toHaveValue("severity=warning");
  await guard.check();
});

/** Waits until the worker has answered everything asked. */
async function settled(page: Page) {
  await expect(page.getByTestId("replay-status")).toHaveText(/^Replayed \d+ evaluations/, { timeout: 20_000 });
}

test("the replay survives its engine trapping with a replay in flight, and my next edit replays again", async ({ page, baseURL }) => {
  const guard = await watch(page, baseURL!);
  await recordWorkers(page);
  await page.goto("./#replay");
  await settled(page);
  const threshold = page.locator("#replay-threshold");

  // The edit's request reaches the worker after the trap: it is never answered.
  await stop(page, "trap", { selector: "#replay-threshold", value: "2%" });
  await expect(page.getByTestId("replay-status")).toHaveText(
    "The replay engine stopped: it stopped unexpectedly on this input; your text is kept, and the engine starts again with your next edit.",
  );
  await expect(threshold).toHaveValue("2%");
  // The naive rule as the worker last read it: the error budget, the lesson's threshold.
  const rule = page.locator(".replay-compare > .note code");
  await expect(rule).toHaveText(/> 0\.1 ?% for/);

  await threshold.fill("0.2%");
  await settled(page);
  await expect(rule).toHaveText(/> 0\.2 ?% for/);
  expect(await workers(page), "a fresh worker answered").toBe(2);

  await page.reload();
  await settled(page);
  await expect(threshold).toHaveValue("0.2%");
  await guard.check();
});
