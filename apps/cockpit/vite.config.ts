import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

/** The cockpit is served by the AegisOps server at `/`; `npm run dev` proxies the API to a local server. */
export default defineConfig({
  plugins: [react()],
  // `source`: the workspace packages as TypeScript; then the browser builds of dependencies (`ws` → its stub).
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: {
    proxy: Object.fromEntries(
      ["/api", "/ws", "/webhook", "/incidents", "/containers", "/metrics", "/topology", "/scale", "/runbook"]
        .concat(["/predictions", "/alerts", "/explain", "/health"])
        .map((p) => [p, { target: "http://127.0.0.1:8001", ws: p === "/ws" }]),
    ),
  },
});
