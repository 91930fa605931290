import { PACKAGE_VERSION } from '../package-root.js';

/** The kit's version: the package's version. */
export const KIT_VERSION: string = PACKAGE_VERSION;
