// Prints a host report as JSON, computed with the identity of another user (see become-user.ts).
// Usage: node --import tsx host-report-as.ts <user>
import { loadConfig } from '../../../electron/backend/config';
import { createHostDoctor } from '../../../electron/backend/host/doctor';
import { becomeUser } from './become-user';

const env = becomeUser(process.argv[2], 'host-report-as.ts');
const report = await createHostDoctor(loadConfig({ env })).report();
process.stdout.write(JSON.stringify(report));
