// Every wrong or doubtful input named at its field, as a user meets it: how a number was read
// and a "did you mean" where it is implausible, a decimal comma typed key by key, the Replay
// section's SLO fields with their errors, and a 100 % objective said plainly everywhere.
import { expect, test } from "@playwright/test";
import { open } from "./helpers";

test("a number is echoed as it was read, and an implausible one offers what was likely meant", async ({ page }) => {
  await open(page);
  await page.locator("#objective").fill("0.999");
  await expect(page.getByTestId("objective-reading")).toHaveText("read as 0.999 % — did you mean 99.9 %?");
  await page.getByTestId("objective-reading").getByRole("button", { name: "did you mean 99.9 %?" }).click();
  await expect(page.locator("#objective")).toHaveValue("99.9");
  await expect(page.getByTestId("summary-objective")).toHaveText("99.9 %");
  await expect(page.getByTestId("objective-reading")).toHaveText("read as 99.9 %");

  await page.locator("#error-ratio").fill("0.5");
  await expect(page.getByTestId("error-ratio-reading")).toHaveText("read as 50 % of requests failing — did you mean 0.5 %?");
  await page.getByRole("button", { name: "did you mean 0.5 %?" }).click();
  await expect(page.locator("#error-ratio")).toHaveValue("0.5%");
  await expect(page.getByTestId("summary-burn")).toHaveText("5×");
});

test("select all and type 0,5%: the figures follow to the end, a decimal comma read as a point", async ({ page }) => {
  await open(page);
  const field = page.locator("#error-ratio");
  await field.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("0,5%", { delay: 40 });
  await expect(field).toHaveValue("0,5%");
  await expect(field).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("summary-burn")).toHaveText("5×");
  await expect(page.getByTestId("summary-exhaustion")).toHaveText("6 d");
  await expect(page.getByTestId("error-ratio-reading")).toHaveText("read as 0.5 % of requests failing");
});

test("a tiny objective reads as a power of ten, not a wall of zeros and float noise", async ({ page }) => {
  await open(page);
  await page.locator("#objective").fill("1e-9");
  await expect(page.getByTestId("summary-objective")).toHaveText("1 × 10⁻⁹ %");
  await expect(page.getByTestId("objective-reading")).toHaveText("read as 1 × 10⁻⁹ %");
});

test("the Replay section's objective and period show their errors at the field", async ({ page }) => {
  await page.goto("./#replay");
  const objective = page.getByTestId("replay-objective");
  await expect(objective).toBeVisible({ timeout: 30_000 });
  await objective.fill("abc");
  await expect(objective).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#replay-objective-error")).toContainText("`abc` is not a percentage");
  await expect(page.locator("#replay-objective-error")).toContainText("The replay uses the last valid one.");
  await objective.fill("99.9");
  await expect(objective).not.toHaveAttribute("aria-invalid", "true");
  const period = page.locator("#replay-period");
  await period.fill("30");
  await expect(period).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#replay-period-error")).not.toBeEmpty();
  await period.fill("30d");
  await expect(page.locator("#replay-period-error")).toBeEmpty();
});

test("a 100 % objective: no budget share in the tiers table, and the replay says why it has nothing to show", async ({ page }) => {
  await open(page);
  await page.locator("#objective").fill("100");
  await page.getByRole("link", { name: "Tiers", exact: true }).click();
  const shares = page.locator("td[data-label='budget spent before it can fire']");
  await expect(shares.first()).toHaveText("— (no budget)");
  await expect(shares).toHaveText(["— (no budget)", "— (no budget)", "— (no budget)"]);
  await page.getByRole("link", { name: "Replay", exact: true }).click();
  await expect(page.getByTestId("replay-status")).toHaveText(/^Nothing to replay: a 100 % objective has no error budget/, { timeout: 30_000 });
});
