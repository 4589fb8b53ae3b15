import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** One AssumeRole call the stub answered. */
export interface AssumeRoleCall {
  roleArn: string;
  externalId: string;
  sessionName: string;
  /** The access key id it handed out. */
  accessKeyId: string;
}

/**
 * A tiny STS endpoint answering AssumeRole (fauxqs only has GetCallerIdentity): hands out fresh keys per
 * call and records what was asked, so tests can see the role, the external id and which keys then signed.
 * `refuse` makes it answer AccessDenied, as STS does for a wrong external id.
 */
export const startStsStub = async () => {
  const calls: AssumeRoleCall[] = [];
  let refuse = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (data) => {
      body += data;
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      if (form.get('Action') !== 'AssumeRole' || refuse) {
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRole</Message></Error><RequestId>1</RequestId></ErrorResponse>',
        );
        return;
      }
      const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
      calls.push({
        roleArn: form.get('RoleArn') ?? '',
        externalId: form.get('ExternalId') ?? '',
        sessionName: form.get('RoleSessionName') ?? '',
        accessKeyId,
      });
      const expiration = new Date(Date.now() + 3600_000).toISOString();
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
      <SecretAccessKey>${randomBytes(20).toString('hex')}</SecretAccessKey>
      <SessionToken>${randomBytes(32).toString('hex')}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <AssumedRoleUser><AssumedRoleId>AROA1:${form.get('RoleSessionName')}</AssumedRoleId><Arn>${form.get('RoleArn')}</Arn></AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>${randomBytes(8).toString('hex')}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);
    });
  });
  const url = await listen(server);
  return {
    url,
    calls,
    refuse: (value: boolean) => {
      refuse = value;
    },
    close: () => close(server),
  };
};

/** One request that went through the proxy. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** From the SigV4 Authorization header's `Credential=`: which keys signed the request. */
  accessKeyId?: string;
}

/**
 * A pass-through proxy in front of the S3 emulator that records which access key signed each request: fauxqs
 * accepts any keys, so this is how tests see that each credential mode really uses its own.
 */
export const startRecordingProxy = async () => {
  const requests: ProxiedRequest[] = [];
  let target: URL | undefined;
  const server = createServer((req, res) => {
    const credential = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      ...(credential && { accessKeyId: credential }),
    });
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const url = await listen(server);
  return {
    url,
    requests,
    /** Where requests go (the emulator's endpoint, known once it has started). */
    forwardTo: (endpoint: string) => {
      target = new URL(endpoint);
    },
    close: () => close(server),
  };
};
