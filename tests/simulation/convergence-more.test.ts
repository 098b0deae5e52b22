/**
 * Seeds 101–200 of the seeded convergence runs; convergence.test.ts tells what each seed checks
 * and how to replay one (harness/suite.ts: why the seeds are in two files).
 */
import './harness/random.ts'; // first: it seeds the client ids of every Y.Doc (see there)
import { describeSeeds } from './harness/suite.ts';

describeSeeds(101, 200);
