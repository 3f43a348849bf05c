import { OpenApiUtil } from '@alicloud/openapi-core';
import {
	canonicalRequestAcs3,
	EMPTY_BODY_SHA256,
	parseParams,
	percentEncode,
	sha256Hex,
	signAcs3,
	signRpc,
	stringToSignAcs3,
	stringToSignRpc,
	verifyAcs3,
	verifyRpc,
	type Acs3Request,
	type Param,
} from './signature';

// The vectors published in Alibaba Cloud's signature documentation (ALIBABA.md, "Signing").
const V3 = {
	secret: 'YourAccessKeySecret',
	canonicalRequestHash: '7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
	signature: '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
};
const V3_SIGNED_HEADERS =
	'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version';

function v3VectorRequest(): Acs3Request {
	return {
		method: 'POST',
		path: '/',
		query: parseParams(
			'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
		),
		headers: {
			host: 'ecs.cn-shanghai.aliyuncs.com',
			'x-acs-action': 'RunInstances',
			'x-acs-date': '2023-10-26T10:22:32Z',
			'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
			'x-acs-version': '2014-05-26',
			'x-acs-content-sha256': EMPTY_BODY_SHA256,
			authorization: `ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=${V3_SIGNED_HEADERS},Signature=${V3.signature}`,
		},
		body: '',
	};
}

const v3Lookup = (id: string) => (id === 'YourAccessKeyId' ? V3.secret : undefined);

const V1_PARAMS: Param[] = parseParams(
	'AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1' +
		'&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0' +
		'&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26',
);
const V1_SIGNATURE = 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=';
const v1Lookup = (id: string) => (id === 'testid' ? 'testsecret' : undefined);

describe('RFC 3986 encoding', () => {
	it('leaves only A-Za-z0-9-_.~ unescaped and encodes space as %20', () => {
		expect(percentEncode('a-b_c.d~e')).toBe('a-b_c.d~e');
		expect(percentEncode("a b*c+d/e!'()")).toBe('a%20b%2Ac%2Bd%2Fe%21%27%28%29');
		expect(percentEncode('中')).toBe('%E4%B8%AD');
	});

	it('decodes wire parameters, with + as a space', () => {
		expect(parseParams('A=1&B=a%20b&C=x+y&D&E=%2A')).toEqual([
			['A', '1'],
			['B', 'a b'],
			['C', 'x y'],
			['D', ''],
			['E', '*'],
		]);
	});
});

describe('ACS3-HMAC-SHA256 (V3)', () => {
	it('reproduces the published canonical-request hash and signature byte for byte', () => {
		const req = v3VectorRequest();
		const canonical = canonicalRequestAcs3(req, V3_SIGNED_HEADERS.split(';'), sha256Hex(''));
		expect(sha256Hex(canonical)).toBe(V3.canonicalRequestHash);
		expect(stringToSignAcs3(canonical)).toBe(`ACS3-HMAC-SHA256\n${V3.canonicalRequestHash}`);
		expect(signAcs3(V3.secret, stringToSignAcs3(canonical))).toBe(V3.signature);
	});

	it('accepts the published request with its published signature', () => {
		expect(verifyAcs3(v3VectorRequest(), v3Lookup)).toMatchObject({
			ok: true,
			accessKeyId: 'YourAccessKeyId',
		});
	});

	it('rejects a tampered query value', () => {
		const req = v3VectorRequest();
		req.query = parseParams(
			'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-beijing',
		);
		expect(verifyAcs3(req, v3Lookup)).toMatchObject({
			ok: false,
			status: 400,
			code: 'SignatureDoesNotMatch',
		});
	});

	it('rejects an added query parameter', () => {
		const req = v3VectorRequest();
		req.query.push(['InstanceId', 'mi-other']);
		expect(verifyAcs3(req, v3Lookup)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
	});

	it('rejects a tampered signed header', () => {
		const req = v3VectorRequest();
		req.headers['x-acs-action'] = 'DeleteInstance';
		expect(verifyAcs3(req, v3Lookup)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
	});

	it('rejects the wrong secret and says which string it signed', () => {
		const result = verifyAcs3(v3VectorRequest(), () => 'not-the-secret');
		expect(result).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
		expect(result.ok || result.message).toContain(
			`server string to sign is:ACS3-HMAC-SHA256\n${V3.canonicalRequestHash}`,
		);
	});

	it('rejects an x-acs-* header that is not signed', () => {
		const req = v3VectorRequest();
		req.headers['x-acs-security-token'] = 'CAISsmuggled';
		expect(verifyAcs3(req, v3Lookup)).toMatchObject({ ok: false, code: 'IncompleteSignature' });
	});

	it('rejects a request whose host is not signed', () => {
		const req = v3VectorRequest();
		req.headers.authorization = String(req.headers.authorization).replace('host;', '');
		expect(verifyAcs3(req, v3Lookup)).toMatchObject({ ok: false, code: 'IncompleteSignature' });
	});

	it('rejects a body that does not match x-acs-content-sha256', () => {
		const req = v3VectorRequest();
		req.body = 'RegionId=cn-beijing';
		expect(verifyAcs3(req, v3Lookup)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
	});

	it('answers a malformed Authorization header with IncompleteSignature', () => {
		const req = v3VectorRequest();
		req.headers.authorization = 'ACS3-HMAC-SHA256 Credential=YourAccessKeyId';
		expect(verifyAcs3(req, v3Lookup)).toMatchObject({
			ok: false,
			status: 400,
			code: 'IncompleteSignature',
		});
	});

	it('answers an unknown AccessKey ID with 404 InvalidAccessKeyId.NotFound', () => {
		expect(verifyAcs3(v3VectorRequest(), () => undefined)).toMatchObject({
			ok: false,
			status: 404,
			code: 'InvalidAccessKeyId.NotFound',
		});
	});

	it('agrees with the SDK signer on awkward characters', () => {
		const query = {
			RegionId: 'cn-hangzhou',
			InstanceName: 'a b*c~d+e/f(中)',
			'Tag.1.Key': "it's",
			'Tag.1.Value': '',
		};
		const headers: Record<string, string> = {
			host: '127.0.0.1:1234',
			'x-acs-action': 'DescribeManagedInstances',
			'x-acs-version': '2014-05-26',
			'x-acs-date': '2024-01-01T00:00:00Z',
			'x-acs-signature-nonce': 'n1',
			'x-acs-content-sha256': EMPTY_BODY_SHA256,
			'user-agent': 'not signed',
		};
		headers.authorization = OpenApiUtil.getAuthorization(
			{ pathname: '/', method: 'POST', query, headers } as never,
			'ACS3-HMAC-SHA256',
			EMPTY_BODY_SHA256,
			'AK',
			'SK',
		);
		const wireQuery = new URLSearchParams(query).toString(); // form-style encoding: spaces as +
		const req: Acs3Request = {
			method: 'POST',
			path: '/',
			query: parseParams(wireQuery),
			headers,
			body: '',
		};
		expect(verifyAcs3(req, () => 'SK')).toMatchObject({ ok: true });
		expect(verifyAcs3(req, () => 'other')).toMatchObject({ ok: false });
	});
});

describe('HMAC-SHA1 RPC (V1)', () => {
	it('reproduces the published signature byte for byte', () => {
		expect(signRpc('testsecret', stringToSignRpc('GET', V1_PARAMS))).toBe(V1_SIGNATURE);
	});

	it('accepts the published request with its published signature', () => {
		expect(verifyRpc('GET', [...V1_PARAMS, ['Signature', V1_SIGNATURE]], v1Lookup)).toMatchObject({
			ok: true,
			accessKeyId: 'testid',
		});
	});

	it('rejects a tampered parameter, another method and the wrong secret', () => {
		const tampered = V1_PARAMS.map(([k, v]): Param => [k, k === 'Action' ? 'DeleteInstance' : v]);
		expect(verifyRpc('GET', [...tampered, ['Signature', V1_SIGNATURE]], v1Lookup)).toMatchObject({
			ok: false,
			code: 'SignatureDoesNotMatch',
		});
		expect(verifyRpc('POST', [...V1_PARAMS, ['Signature', V1_SIGNATURE]], v1Lookup)).toMatchObject({
			ok: false,
			code: 'SignatureDoesNotMatch',
		});
		expect(
			verifyRpc('GET', [...V1_PARAMS, ['Signature', V1_SIGNATURE]], () => 'wrong'),
		).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
	});

	it('puts the string to sign in the message, as @alicloud/credentials expects', () => {
		const result = verifyRpc('GET', [...V1_PARAMS, ['Signature', 'AAAA']], v1Lookup);
		expect(result.ok || result.message).toBe(
			`Specified signature is not matched with our calculation. server string to sign is:${stringToSignRpc('GET', V1_PARAMS)}`,
		);
	});

	it('signs the union of query and form parameters', () => {
		const query = V1_PARAMS;
		const form: Param[] = [
			['RoleArn', 'acs:ram::1:role/r'],
			['RoleSessionName', 'a b'],
		];
		const signature = signRpc('testsecret', stringToSignRpc('POST', [...query, ...form]));
		expect(
			verifyRpc('POST', [...query, ['Signature', signature], ...form], v1Lookup),
		).toMatchObject({ ok: true });
		expect(verifyRpc('POST', [...query, ['Signature', signature]], v1Lookup)).toMatchObject({
			ok: false,
		});
	});

	it('answers an unknown AccessKey ID with 404 and a missing Signature as incomplete', () => {
		expect(
			verifyRpc('GET', [...V1_PARAMS, ['Signature', V1_SIGNATURE]], () => undefined),
		).toMatchObject({ status: 404, code: 'InvalidAccessKeyId.NotFound' });
		expect(verifyRpc('GET', V1_PARAMS, v1Lookup)).toMatchObject({
			status: 400,
			code: 'IncompleteSignature',
		});
	});
});
