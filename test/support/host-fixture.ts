import { join } from 'node:path';

/** The fixture app the host tests run. */
export const HOST_FIXTURE_APP = join(__dirname, '..', 'fixtures', 'host-app');
