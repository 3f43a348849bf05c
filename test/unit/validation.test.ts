import {
	InputError,
	validateManagedInstanceId,
	validateRegionId,
} from '../../nodes/AlibabaEcs/helpers/validation';
import { parseEndpoint } from '../../nodes/AlibabaEcs/transport/endpoint';
import { thrown } from './thrown';

const inputError = (fn: () => unknown) => thrown(fn, InputError);

describe('validateRegionId', () => {
	it.each(['cn-hangzhou', 'ap-southeast-1', 'eu-central-1', 'cn-shanghai-finance-1', 'us-west-1'])(
		'accepts %s',
		(region) => expect(validateRegionId(region)).toBe(region),
	);

	it('trims and lower-cases', () => {
		expect(validateRegionId('  CN-Hangzhou\n')).toBe('cn-hangzhou');
	});

	it.each([
		'cn-hangzhou.evil.example',
		'cn-hangzhou/x',
		'cn-hangzhou:443',
		'user@cn-hangzhou',
		'cn hangzhou',
		'hangzhou',
		'cn--hangzhou',
		'-cn-hangzhou',
		'cn-hangzhou-',
		'cn-hangzhou?Action=DeleteInstance',
		'cn-hangzhou%2eevil',
		'cn-ｈangzhou',
		'a'.repeat(41),
	])('refuses %j, naming the field', (region) => {
		const error = inputError(() => validateRegionId(region));
		expect(error.field).toBe('Region ID');
		expect(error.message).toMatch(/^Region ID .* is not a region ID$/);
	});

	it.each([
		['', /Region ID is empty/],
		['   ', /Region ID is empty/],
		[42, /must be text .* got number 42/],
		[['cn-hangzhou'], /got a list/],
		[{ region: 'cn-hangzhou' }, /got an object/],
		[null, /got null/],
		[undefined, /got nothing/],
	])('refuses %j with a message saying what it got', (value, message) => {
		expect(inputError(() => validateRegionId(value)).message).toMatch(message);
	});
});

describe('validateManagedInstanceId', () => {
	it('accepts and trims a managed instance ID', () => {
		expect(validateManagedInstanceId(' mi-hz01axdfas0001 ')).toBe('mi-hz01axdfas0001');
	});

	it('explains that an ECS instance ID is the wrong kind of ID', () => {
		const error = inputError(() => validateManagedInstanceId('i-bp1h6ntgnhykgtyd1rmw'));
		expect(error.message).toBe(
			'Instance ID "i-bp1h6ntgnhykgtyd1rmw" is an ECS instance ID, not a managed instance ID',
		);
		expect(error.hint).toMatch(/start with "mi-"/);
	});

	it.each([
		'mi-',
		'mi-abc&Action=DeleteInstance',
		'mi-abc def',
		'MI-ABC',
		'mi-ABC',
		'mi-abc/..',
		`mi-${'a'.repeat(61)}`,
		'mi-hz01axdfas****',
		'mi-ąbc',
		'abc',
	])('refuses %j', (id) => {
		const error = inputError(() => validateManagedInstanceId(id));
		expect(error.field).toBe('Instance ID');
		expect(error.message).toMatch(/^Instance ID .* is not a managed instance ID$/);
	});

	it('shortens a long value in the message', () => {
		const error = inputError(() => validateManagedInstanceId('x'.repeat(500)));
		expect(error.message.length).toBeLessThan(120);
	});
});

describe('parseEndpoint', () => {
	it.each([
		['https://ecs-vpc.cn-hangzhou.aliyuncs.com', 'ecs-vpc.cn-hangzhou.aliyuncs.com', 'HTTPS'],
		['ecs.aliyuncs.com', 'ecs.aliyuncs.com', 'HTTPS'],
		['https://ecs.aliyuncs.com/', 'ecs.aliyuncs.com', 'HTTPS'],
		['http://127.0.0.1:8080', '127.0.0.1:8080', 'HTTP'],
		['http://localhost:9000', 'localhost:9000', 'HTTP'],
		['http://[::1]:9000', '[::1]:9000', 'HTTP'],
	])('accepts %s', (value, host, protocol) => {
		expect(parseEndpoint(value)).toEqual({ host, protocol });
	});

	it.each(['', '   ', undefined, null])('treats %j as no override', (value) => {
		expect(parseEndpoint(value)).toBeUndefined();
	});

	it.each([
		['http://ecs.aliyuncs.com', /plain http:\/\/ is only allowed for a local endpoint/],
		['https://user:pw@ecs.aliyuncs.com', /user name or password/],
		['https://ecs.aliyuncs.com/path', /host only/],
		['https://ecs.aliyuncs.com?x=1', /host only/],
		['ftp://ecs.aliyuncs.com', /must start with https/],
		['https://', /not a valid URL/],
	])('refuses %s', (value, message) => {
		const error = inputError(() => parseEndpoint(value));
		expect(error.field).toBe('Endpoint');
		expect(error.message).toMatch(message);
	});
});
