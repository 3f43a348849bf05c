/**
 * The fake Cloud Assistant agent's script language. The fake never executes anything on this
 * machine: it reads a command's content as a tiny, shell-like language and turns it into a
 * timeline (output at points in time, then an ending), which the invocation model plays back on
 * the agent's clock. One command per line; `#` starts a comment line (so `#!/bin/bash` is one).
 *
 * | line            | effect                                                                      |
 * | --------------- | --------------------------------------------------------------------------- |
 * | `echo TEXT`     | prints TEXT and a newline (one pair of surrounding quotes is removed)       |
 * | `sleep SECONDS` | waits SECONDS (decimals allowed) before the next line                       |
 * | `exit CODE`     | ends with exit code CODE (0 to 255; `exit` alone is 0)                      |
 * | `fail [TEXT]`   | prints TEXT, then the agent hits an exception: status Error                 |
 * | `cat PATH`      | prints a file sent to this instance with SendFile, else exit 1 like cat     |
 * | `fill BYTES`    | prints BYTES bytes of filler text (lines of 79 `x` and a newline)           |
 *
 * Any other command prints `sh: line N: WORD: command not found` and ends with exit code 127.
 * A failing line ends the script (as `set -e` would); the end of the script is exit code 0.
 */

export interface ScriptOutput {
	/** Milliseconds after the script started. */
	at: number;
	text: Buffer;
}

export interface ScriptTimeline {
	outputs: ScriptOutput[];
	/** When the script ends, in milliseconds after it started. */
	endsAt: number;
	exitCode: number;
	/** `fail`: the agent could not carry on (status Error, ErrorCode ExecutionException). */
	exception: boolean;
}

const FILLER_LINE = `${'x'.repeat(79)}\n`;

function filler(bytes: number): Buffer {
	const whole = FILLER_LINE.repeat(Math.ceil(bytes / FILLER_LINE.length));
	return Buffer.from(whole.slice(0, bytes));
}

function unquote(text: string): string {
	const m = /^(["'])(.*)\1$/s.exec(text);
	return m ? m[2] : text;
}

/**
 * Reads a script (after parameter substitution) into its timeline. `readFile` gives the files
 * on the instance, by absolute path.
 */
export function interpretScript(
	script: string,
	readFile: (path: string) => Buffer | undefined,
): ScriptTimeline {
	const outputs: ScriptOutput[] = [];
	let now = 0;
	const print = (text: string | Buffer) =>
		outputs.push({ at: now, text: typeof text === 'string' ? Buffer.from(text) : text });
	const end = (exitCode: number, exception = false): ScriptTimeline => ({
		outputs,
		endsAt: now,
		exitCode,
		exception,
	});

	const lines = script.replace(/\r\n/g, '\n').split('\n');
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index].trim();
		if (line === '' || line.startsWith('#')) continue;
		const [word, ...rest] = line.split(/\s+/);
		const argument = line.slice(word.length).trim();
		switch (word) {
			case 'echo':
				print(`${unquote(argument)}\n`);
				break;
			case 'sleep': {
				const seconds = Number(argument);
				if (argument === '' || !Number.isFinite(seconds) || seconds < 0) {
					print(`sleep: invalid time interval '${argument}'\n`);
					return end(1);
				}
				now += Math.round(seconds * 1000);
				break;
			}
			case 'exit': {
				const code = argument === '' ? 0 : Number(argument);
				if (!Number.isInteger(code) || code < 0 || code > 255) {
					print(`sh: line ${index + 1}: exit: ${argument}: numeric argument required\n`);
					return end(2);
				}
				return end(code);
			}
			case 'fail':
				if (argument !== '') print(`${unquote(argument)}\n`);
				return end(0, true);
			case 'cat': {
				const content = readFile(rest[0] ?? '');
				if (!content) {
					print(`cat: ${rest[0] ?? ''}: No such file or directory\n`);
					return end(1);
				}
				print(content);
				break;
			}
			case 'fill': {
				const bytes = Number(argument);
				if (!Number.isInteger(bytes) || bytes < 0) {
					print(`fill: invalid byte count '${argument}'\n`);
					return end(1);
				}
				print(filler(bytes));
				break;
			}
			default:
				print(`sh: line ${index + 1}: ${word}: command not found\n`);
				return end(127);
		}
	}
	return end(0);
}
