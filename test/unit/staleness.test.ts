/** API times, the meaning of "offline for N hours", and the order of output fields. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { judgeOffline, readHours } from '../../nodes/AlibabaEcs/helpers/offline';
import {
	ResponseShapeError,
	fieldOrder,
	managedInstanceItem,
} from '../../nodes/AlibabaEcs/helpers/response';
import { apiTime, parseApiTime } from '../../nodes/AlibabaEcs/helpers/time';
import { InputError } from '../../nodes/AlibabaEcs/helpers/validation';
import { thrown } from './thrown';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('parseApiTime', () => {
	it.each([
		['2021-03-15T08:00:00Z', Date.UTC(2021, 2, 15, 8)],
		['2021-03-15T08:00:00', Date.UTC(2021, 2, 15, 8)],
		['2021-03-15 08:00:00', Date.UTC(2021, 2, 15, 8)],
		['2021-03-15T16:00:00+08:00', Date.UTC(2021, 2, 15, 8)],
		['2021-03-15T08:00Z', Date.UTC(2021, 2, 15, 8)],
	])('reads %j as UTC', (text, expected) => {
		expect(parseApiTime(text, 'T')).toBe(expected);
	});

	it('reads a zero date (an agent that never beat, in some APIs) as a time long ago', () => {
		expect(parseApiTime('0001-01-01T00:00:00Z', 'T')).toBe(-62135596800000);
		expect(parseApiTime('0001-01-01T00:00:00Z', 'T')).toBeLessThan(0);
	});

	it('is undefined for an absent or empty time, and an error naming the field for anything else', () => {
		expect(parseApiTime(undefined, 'T')).toBeUndefined();
		expect(parseApiTime(null, 'T')).toBeUndefined();
		expect(parseApiTime('', 'T')).toBeUndefined();
		for (const bad of ['yesterday', 12345, '2021-13-45T99:00:00Z']) {
			expect(
				thrown(() => parseApiTime(bad, 'Instances[0].LastHeartbeatTime'), ResponseShapeError)
					.message,
			).toBe('field Instances[0].LastHeartbeatTime is not a time such as 2021-03-15T08:00:00Z');
		}
	});

	it('does not depend on the host time zone: the same in UTC+8 as here', () => {
		// Node reads TZ once per process; jest workers cannot change it, so ask a fresh process.
		const script = `const { parseApiTime } = require(${JSON.stringify(
			join(__dirname, '../../dist/nodes/AlibabaEcs/helpers/time.js'),
		)}); process.stdout.write(JSON.stringify([new Date(2026, 0, 1).getTimezoneOffset(), parseApiTime('2021-03-15T08:00:00', 'T'), parseApiTime('2021-03-15 08:00:00', 'T')]));`;
		const out = execFileSync(process.execPath, ['-e', script], {
			env: { ...process.env, TZ: 'Asia/Shanghai' },
		}).toString();
		expect(JSON.parse(out)).toEqual([-480, Date.UTC(2021, 2, 15, 8), Date.UTC(2021, 2, 15, 8)]);
	});

	it('writes times as the API does', () => {
		expect(apiTime(Date.UTC(2021, 2, 15, 8, 0, 0, 999))).toBe('2021-03-15T08:00:00Z');
	});
});

describe('judgeOffline', () => {
	const disconnected = (fields: Record<string, unknown>) => ({
		InstanceId: 'mi-x',
		Connected: false,
		CloudAssistantStatus: false,
		RegistrationTime: apiTime(NOW - 1000 * HOUR),
		...fields,
	});

	it('counts from the last heartbeat; exactly N hours is offline, a second less is not', () => {
		expect(
			judgeOffline(disconnected({ LastHeartbeatTime: apiTime(NOW - 24 * HOUR) }), 24, NOW),
		).toEqual({
			offline: true,
			since: NOW - 24 * HOUR,
			reason: 'Disconnected, last heartbeat 2026-05-31T12:00:00Z (24.0 hours ago)',
		});
		expect(
			judgeOffline(disconnected({ LastHeartbeatTime: apiTime(NOW - 24 * HOUR + 1000) }), 24, NOW),
		).toMatchObject({
			offline: false,
			reason:
				'Disconnected for less than 24 hours: last heartbeat 2026-05-31T12:00:01Z (24.0 hours ago)',
		});
	});

	it('without a heartbeat (or with one before the registration), counts from the registration', () => {
		const registered = apiTime(NOW - 3 * HOUR);
		for (const LastHeartbeatTime of [
			null,
			undefined,
			'',
			'0001-01-01T00:00:00Z',
			'1970-01-01T00:00:00Z',
		]) {
			expect(
				judgeOffline(disconnected({ LastHeartbeatTime, RegistrationTime: registered }), 2, NOW),
			).toMatchObject({
				offline: true,
				reason: `Disconnected, no heartbeat since its registration ${registered} (3.0 hours ago)`,
			});
			expect(
				judgeOffline(disconnected({ LastHeartbeatTime, RegistrationTime: registered }), 4, NOW)
					.offline,
			).toBe(false);
		}
	});

	it('a connected instance, or one whose agent beat in the last 2 minutes, is never offline', () => {
		const old = { LastHeartbeatTime: apiTime(NOW - 900 * HOUR) };
		expect(judgeOffline(disconnected({ ...old, Connected: true }), 0, NOW)).toEqual({
			offline: false,
			reason: 'The Cloud Assistant agent is connected',
		});
		expect(judgeOffline(disconnected({ ...old, CloudAssistantStatus: true }), 0, NOW)).toEqual({
			offline: false,
			reason: 'The Cloud Assistant agent sent a heartbeat in the last 2 minutes',
		});
	});

	it('an instance the status answer left out is not offline: nothing says for how long', () => {
		expect(judgeOffline(disconnected({ CloudAssistantStatus: null }), 0, NOW)).toMatchObject({
			offline: false,
			reason: expect.stringMatching(/^DescribeCloudAssistantStatus did not report this instance/),
		});
	});

	it('with neither a heartbeat nor a registration time, it is not offline', () => {
		expect(
			judgeOffline(disconnected({ RegistrationTime: undefined, LastHeartbeatTime: null }), 0, NOW)
				.offline,
		).toBe(false);
	});
});

describe('readHours', () => {
	it('takes numbers and numeric text from 0 to 87600, fractions too', () => {
		expect(readHours(0, 'H')).toBe(0);
		expect(readHours('720', 'H')).toBe(720);
		expect(readHours(0.5, 'H')).toBe(0.5);
		for (const bad of [-0.1, 87_601, 'x', '', null, Number.NaN, Infinity]) {
			expect(thrown(() => readHours(bad, 'H'), InputError).message).toMatch(
				/^H must be a number of hours from 0 to 87600/,
			);
		}
	});
});

describe('output field order', () => {
	it('leads with InstanceId, InstanceName, Connected, RegionId; keeps unknown fields; RequestId last', () => {
		const item = managedInstanceItem(
			{
				RequestId: 'R',
				ActivationId: 'A',
				AgentVersion: '2',
				Connected: false,
				Hostname: 'h',
				InstanceId: 'mi-1',
				InstanceName: 'web',
				NewApiField: 1,
				SupportSessionManager: true,
				Tags: [],
				ActiveTaskCount: 0,
				CloudAssistantStatus: true,
			},
			'cn-beijing',
		);
		expect(Object.keys(item)).toEqual([
			'InstanceId',
			'InstanceName',
			'Connected',
			'RegionId',
			'CloudAssistantStatus',
			'ActiveTaskCount',
			'SupportSessionManager',
			'Hostname',
			'AgentVersion',
			'ActivationId',
			'Tags',
			'NewApiField',
			'RequestId',
		]);
		expect(item.RegionId).toBe('cn-beijing');
	});

	it('never replaces a RegionId the object has; keeps null values', () => {
		expect(
			managedInstanceItem({ RegionId: 'us-east-1', InstanceId: 'mi-1' }, 'cn-hangzhou'),
		).toEqual({
			InstanceId: 'mi-1',
			RegionId: 'us-east-1',
		});
		const order = fieldOrder(['A', 'B']);
		expect(Object.entries(order({ B: null, C: 1, A: 0 }))).toEqual([
			['A', 0],
			['B', null],
			['C', 1],
		]);
	});
});
