/** This package's version (kept equal to package.json by version.test.ts). */
export const version = '0.1.0';
