/** Run the CLI in-process, as the tests of its commands do: exit code, stdout and stderr. */
import { memoryIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}
