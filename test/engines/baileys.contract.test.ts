import { engineContract } from './contract/contract.js';
import { baileysDriver } from './contract/baileys-driver.js';

engineContract(baileysDriver());
