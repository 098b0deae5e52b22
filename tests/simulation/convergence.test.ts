/**
 * [§5][§6] Seeded random convergence (issue #4): the real sync server in process (SQLite store,
 * access index, projection, e-mail claims, history) and five devices — an admin, three staff,
 * and a second device of one of them — making 500 edits per seed (100 each) while the network
 * drops and reorders messages and managers change who may read what (harness/run.ts). After
 * every seed: every device holds exactly the records its user may read, equal to the server's
 * state; every acknowledged change is in it; the server's invariants hold; and no message about
 * a record ever went to a user who could not read it when it was sent.
 *
 * Seeds 1–100 here, 101–200 in convergence-more.test.ts (harness/suite.ts says why).
 *
 * Replay one seed, and tell its story:
 *   SIM_SEED=17 npx vitest run tests/simulation
 *   SIM_SEED=17 SIM_TRACE=1 npx vitest run tests/simulation
 * More seeds: node --import tsx bench/convergence.ts --seeds=1000
 */
import './harness/random.ts'; // first: it seeds the client ids of every Y.Doc (see there)
import { describeSeeds } from './harness/suite.ts';

describeSeeds(1, 100);
