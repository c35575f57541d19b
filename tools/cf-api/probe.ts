/**
 * What commands ask of Cloudflare: runs each command line given (in a throw-away clone of the
 * project, against a fresh emulator) and prints its output, every API request with its status,
 * and the requests the emulator does not know.
 *   node tools/cf-api/probe.ts "npm run setup" "npm run deploy"
 */
import { DeployProject } from "../../test/tools/deploy-project.ts";
import { startEmulator } from "./server.ts";

const commands = process.argv.slice(2);
if (commands.length === 0) {
  console.error('usage: node tools/cf-api/probe.ts "<command line>" ...');
  process.exit(2);
}
const emulator = await startEmulator();
const project = new DeployProject(emulator);
try {
  for (const command of commands) {
    const started = Date.now();
    const run = await project.run(command);
    console.log(`$ ${command} -> exit ${run.status} in ${Date.now() - started} ms\n${run.output}`);
    console.log(emulator.state.log.map((r) => `${r.method} ${r.path} ${r.status}`).join("\n"));
    console.log(`not emulated: ${emulator.state.unknown.length ? emulator.state.unknown.join("\n") : "none"}\n`);
    emulator.state.log.length = 0;
    emulator.state.unknown.length = 0;
  }
} finally {
  project.dispose();
  await emulator.close();
}
