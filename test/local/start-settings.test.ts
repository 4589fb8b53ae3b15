import { describe, expect, it } from 'vitest';
import { startSettings } from '../../local/start-settings.ts';

describe('npm start settings from its environment', () => {
  it.each([
    [{}, 4000, 'true'],
    [{ ALLOW_INSECURE_CALLBACKS: 'false' }, 4000, 'false'],
    [{ ALLOW_INSECURE_CALLBACKS: 'true' }, 4000, 'true'],
    [{ PORT: '0' }, 0, 'true'],
    [{ PORT: '8080', ALLOW_INSECURE_CALLBACKS: 'false' }, 8080, 'false'],
  ])('%j → port %i, ALLOW_INSECURE_CALLBACKS=%s for the handlers', (env, port, insecure) => {
    const settings = startSettings(env);
    expect(settings).toEqual({
      port,
      handlerEnv: { ALLOW_INSECURE_CALLBACKS: insecure },
      insecureCallbacks: insecure === 'true',
    });
  });

  it('hands the handlers nothing else from the environment', () => {
    const settings = startSettings({
      ALLOW_INSECURE_CALLBACKS: 'false',
      MAX_INTEGRATIONS: '3',
      HOME: '/root',
    });
    expect(Object.keys(settings.handlerEnv)).toEqual(['ALLOW_INSECURE_CALLBACKS']);
  });

  it.each([
    [{ ALLOW_INSECURE_CALLBACKS: 'no' }, /ALLOW_INSECURE_CALLBACKS must be true or false, got no/],
    [{ ALLOW_INSECURE_CALLBACKS: 'FALSE' }, /got FALSE/],
    [{ PORT: '70000' }, /PORT must be a port number, got 70000/],
    [{ PORT: 'http' }, /PORT must be a port number/],
  ])('refuses %j', (env, message) => {
    expect(() => startSettings(env)).toThrow(message);
  });
});
