import { ensureWebBuild } from '../../designer/web-build.ts';

/** vitest global setup: the browser tests run against the built web app, so build it when it is stale. */
export default async function setup() {
  await ensureWebBuild();
}
