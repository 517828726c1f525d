/** The version written into reports as the generator's. Kept equal to package.json by a test. */
export const FLEETKIT_VERSION = '0.1.0';
