import { defineConfig } from "@playwright/test";

// BURNLAB_E2E_PORT lets runs in several checkouts on one machine serve side by side.
const port = Number(process.env.BURNLAB_E2E_PORT ?? 8181);

export default defineConfig({
  testDir: ".",
  // `cargo xtask bench` sets BURNLAB_BENCH to run the browser timing run instead of the tests.
  testMatch: process.env.BURNLAB_BENCH ? "*.bench.ts" : "*.spec.ts",
  timeout: 30_000,
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  outputDir: "../../target/playwright",
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    launchOptions: {
      // Debian's Chromium: Playwright never downloads a browser here.
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: `node serve.mjs ../../dist ${port}`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
