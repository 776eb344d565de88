import packageJson from '../../package.json';

/** The running version, from package.json (compiled in, so it matches the deployed build). */
export const appVersion: string = packageJson.version;
