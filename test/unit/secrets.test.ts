import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.ts';
import { maskSecret, separateSecrets } from '../../lambdas/domain/secrets.ts';

describe('secret masking', () => {
  it('shows only the last four characters of long values and nothing of short ones or PEM keys', () => {
    expect(maskSecret('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9')).toBe('****VCJ9');
    expect(maskSecret('short')).toBe('****');
    expect(maskSecret('-----BEGIN PRIVATE KEY-----\nabcdefghijklmnop\n-----END PRIVATE KEY-----\n')).toBe(
      '****',
    );
  });

  it('separates every credential field from the stored shape', () => {
    const { masked, secrets } = separateSecrets({
      callback_parameters: {
        callback_url: 'https://x.example.com',
        oauth: {
          token_url: 'https://a.example.com',
          client_id: 'id',
          client_secret: 'client-secret-value-1234',
        },
      },
    });
    expect(secrets).toEqual({ 'callback_parameters.oauth.client_secret': 'client-secret-value-1234' });
    expect(JSON.stringify(masked)).not.toContain('client-secret-value');
    expect(masked.callback_parameters.oauth.client_secret).toBe('****1234');
    expect(masked.callback_parameters.oauth.client_id).toBe('id');
  });

  it('keeps the current secret when the client sends back the mask it was shown', () => {
    const current = separateSecrets({
      s3_parameters: { aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    });
    const again = separateSecrets({ s3_parameters: { aws_secret_access_key: '****EKEY' } }, current);
    expect(again.secrets['s3_parameters.aws_secret_access_key']).toBe(
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    );
  });

  it('refuses a masked value that is not the current mask', () => {
    expect(() => separateSecrets({ callback_parameters: { api_key: '****abcd' } })).toThrow(ValidationError);
  });
});
