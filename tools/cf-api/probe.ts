import { DeployProject } from "../../test/tools/deploy-project.ts";
import { startEmulator } from "./server.ts";

const emulator = await startEmulator();
const project = new DeployProject(emulator);
for (const command of process.argv.slice(2)) {
  const started = Date.now();
  const run = await project.run(command);
  console.log(`$ ${command} -> ${run.status} in ${Date.now() - started} ms\n${run.output}`);
  console.log(emulator.state.log.map((l) => `${l.method} ${l.path} ${l.status}`).join("\n"));
  console.log("UNKNOWN:", emulator.state.unknown.join("\n"));
  emulator.state.log.length = 0;
}
project.dispose();
await emulator.close();
