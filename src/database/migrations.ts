import { Foundation1764320000000 } from '../../migrations/1764320000000-Foundation';
import { Register1764400000000 } from '../../migrations/1764400000000-Register';
import { Police1764500000000 } from '../../migrations/1764500000000-Police';
import { JobClaims1764600000000 } from '../../migrations/1764600000000-JobClaims';
import { ChainCheckpoints1764700000000 } from '../../migrations/1764700000000-ChainCheckpoints';
import { StagedImports1764800000000 } from '../../migrations/1764800000000-StagedImports';

/** Every migration, in order, imported explicitly (a glob can fail silently: STACK.md pitfall 4). */
export const MIGRATIONS = [
  Foundation1764320000000,
  Register1764400000000,
  Police1764500000000,
  JobClaims1764600000000,
  ChainCheckpoints1764700000000,
  StagedImports1764800000000,
];
