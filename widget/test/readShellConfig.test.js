import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readShellConfig } from '../frame/readShellConfig.js';

const shell = (dataset) => ({ body: { dataset } });

describe('readShellConfig', () => {
  it('reads the body data attributes written by templates/frame.html', () => {
    const config = readShellConfig(shell({
      allowedOrigins: '["https://shop.example","http://localhost:8000",42]',
      rpcUrl: '/rpc',
      clientId: 'demo',
    }));
    assert.deepEqual(config, {
      allowedOrigins: ['https://shop.example', 'http://localhost:8000'], rpcUrl: '/rpc', collectUrl: '/rpc', clientId: 'demo', view: 'placement',
    });
  });

  it('reads the collect URL of events and consent, apart from the renders', () => {
    const config = readShellConfig(shell({ allowedOrigins: '[]', rpcUrl: '/rpc', collectUrl: '/rpc/collect', clientId: 'demo' }));
    assert.equal(config.rpcUrl, '/rpc');
    assert.equal(config.collectUrl, '/rpc/collect');
  });

  it('reads the view of the interstitial shell, and defaults anything else to placement', () => {
    const base = { allowedOrigins: '[]', rpcUrl: '/rpc', clientId: 'demo' };
    assert.equal(readShellConfig(shell({ ...base, view: 'interstitial' })).view, 'interstitial');
    assert.equal(readShellConfig(shell({ ...base, view: 'bogus' })).view, 'placement');
  });

  it('returns null for an incomplete shell', () => {
    assert.equal(readShellConfig(shell({ allowedOrigins: 'not json', rpcUrl: '/rpc', clientId: 'demo' })), null);
    assert.equal(readShellConfig(shell({ allowedOrigins: '{"a":1}', rpcUrl: '/rpc', clientId: 'demo' })), null);
    assert.equal(readShellConfig(shell({ allowedOrigins: '[]', clientId: 'demo' })), null);
    assert.equal(readShellConfig(shell({ allowedOrigins: '[]', rpcUrl: '/rpc' })), null);
    assert.equal(readShellConfig({ body: null }), null);
  });
});
