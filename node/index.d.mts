// Types of the ES module entry: the same as the CommonJS entry's (index.d.ts).
export * from './index.js';
import * as mtlskit from './index.js';
export default mtlskit;
