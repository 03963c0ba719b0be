import { engineContract } from './contract/contract.js';
import { simulatorDriver } from './contract/simulator-driver.js';

engineContract(simulatorDriver());
