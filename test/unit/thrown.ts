/** The error `fn` throws, checked to be an instance of `kind` (anything else fails the test). */
export function thrown<E extends Error>(fn: () => unknown, kind: new (...args: never[]) => E): E {
	try {
		fn();
	} catch (error) {
		if (error instanceof kind) return error;
		throw error;
	}
	throw new Error(`expected a ${kind.name}`);
}
