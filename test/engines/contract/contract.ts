import { afterAll, beforeAll, describe } from 'vitest';
import { connectionContract } from './connection.js';
import { directoryContract } from './directory.js';
import type { EngineDriver } from './driver.js';
import { groupsContract } from './groups.js';
import { lidContract } from './lids.js';
import { linkingContract } from './linking.js';
import { profilesContract } from './profiles.js';
import { receivingContract } from './receiving.js';
import { sendingContract } from './sending.js';

/**
 * What every engine must do, the same way, as the services see it through the engine port. An
 * operation or event added to src/engines/engine.ts gets its tests here and its moves in both
 * drivers.
 */
export function engineContract(driver: EngineDriver): void {
  describe(`engine contract: ${driver.name}`, () => {
    beforeAll(() => driver.setup());
    afterAll(() => driver.teardown());
    linkingContract(driver);
    connectionContract(driver);
    sendingContract(driver);
    receivingContract(driver);
    directoryContract(driver);
    profilesContract(driver);
    lidContract(driver);
    groupsContract(driver);
  });
}
