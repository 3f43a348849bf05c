import {
	ResponseShapeError,
	toActivation,
	toManagedInstance,
} from '../../nodes/AlibabaEcs/helpers/response';
import { thrown } from './thrown';

const shapeError = (fn: () => unknown) => thrown(fn, ResponseShapeError);

describe('toManagedInstance', () => {
	it('normalises the parsed object in place: numbers, booleans, tags', () => {
		const parsed = {
			InstanceId: 'mi-abc',
			InvocationCount: '7',
			Connected: 'false',
			Tags: { Tag: [{ TagKey: 'env', TagValue: 'prod' }] },
		};
		const instance = toManagedInstance(parsed);
		expect(instance).toBe(parsed);
		expect(instance).toEqual({
			InstanceId: 'mi-abc',
			InvocationCount: 7,
			Connected: false,
			Tags: [{ TagKey: 'env', TagValue: 'prod' }],
		});
	});

	it('turns an empty number into null, never NaN', () => {
		expect(toManagedInstance({ InstanceId: 'mi-abc', InvocationCount: ' ' }).InvocationCount).toBe(
			null,
		);
	});

	it.each([
		[
			{ InstanceId: 'mi-abc', InvocationCount: 'abc' },
			'Instance.InvocationCount',
			'not a whole number',
		],
		[
			{ InstanceId: 'mi-abc', InvocationCount: '1.5' },
			'Instance.InvocationCount',
			'not a whole number',
		],
		[{ InstanceId: 'mi-abc', Connected: 'maybe' }, 'Instance.Connected', 'not true or false'],
		[{ InstanceId: 'mi-abc', Tags: { Tag: 'x' } }, 'Instance.Tags', 'is not a list of tags'],
		[{ InstanceId: 'mi-abc', Tags: [7] }, 'Instance.Tags[0]', 'is not an object'],
		[{ InstanceName: 'no id' }, 'Instance.InstanceId', 'is missing'],
		['text', 'Instance', 'is not an object'],
	])('names the field of %j: %s', (value, field, detail) => {
		const error = shapeError(() => toManagedInstance(value));
		expect(error.field).toBe(field);
		expect(error.message).toContain(detail);
	});
});

describe('toActivation', () => {
	it('normalises counts and Disabled in place', () => {
		const parsed = {
			ActivationId: 'act-1',
			InstanceCount: '10',
			RegisteredCount: '0',
			DeregisteredCount: '',
			TimeToLiveInHours: '4',
			Disabled: 'true',
		};
		expect(toActivation(parsed)).toEqual({
			ActivationId: 'act-1',
			InstanceCount: 10,
			RegisteredCount: 0,
			DeregisteredCount: null,
			TimeToLiveInHours: 4,
			Disabled: true,
		});
	});
});

describe('ResponseShapeError.atIndex', () => {
	it('puts the entry index after the list field, for the entry and for fields inside it', () => {
		const at = (field: string) => new ResponseShapeError(field, 'is wrong').atIndex('Instances', 7);
		expect(at('Instances').message).toBe('field Instances[7] is wrong');
		expect(at('Instances.InvocationCount').field).toBe('Instances[7].InvocationCount');
		expect(at('Instances.Tags[0]').field).toBe('Instances[7].Tags[0]');
	});

	it('leaves a field outside the list alone', () => {
		const error = new ResponseShapeError('NextToken', 'is not text');
		expect(error.atIndex('Instances', 7)).toBe(error);
		expect(new ResponseShapeError('InstancesX.A', 'x').atIndex('Instances', 1).field).toBe(
			'InstancesX.A',
		);
	});
});
