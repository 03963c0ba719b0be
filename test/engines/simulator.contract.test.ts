import { engineContract } from './contract/contract.js';
import { groupsContract } from './contract/groups.js';
import { simulatorDriver } from './contract/simulator-driver.js';

engineContract(simulatorDriver(), [groupsContract]);
