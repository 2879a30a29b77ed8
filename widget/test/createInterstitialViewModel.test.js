import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createInterstitialViewModel } from '../frame/createInterstitialViewModel.js';

const row = (label, due, formatted) => ({ label, due: '2026-11-25', due_formatted: due, amount: 2475, formatted });
const result = {
  kind: 'interstitial', placement_key: 'credit-badge', campaign_id: 'gb', variant: 'control', locale: 'en-GB', currency: 'GBP',
  purchase_amount: 9900, theme: 'dark', title: 'Pay your way', intro: 'Choose how you pay for your £99.00 order.',
  lead_option: 'pay_in_30', legal: 'Credit subject to status.', close_label: 'Schließen', choose_label: 'Choose how to pay',
  options: [
    { id: 'pay_in_4', kind: 'pay_in_n', label: 'Pay in 4', summary: '4 interest-free payments of £24.75', apr: 0, apr_formatted: '0% APR',
      total_formatted: '£99.00', interest_formatted: '£0.00', months: null,
      schedule: [row('Today', '25 Nov 2026', '£24.75'), row('9 Dec 2026', '9 Dec 2026', '£24.75')] },
    { id: 'pay_in_30', kind: 'pay_later', label: 'Pay in 30 days', summary: 'Pay £99.00 in 30 days', apr: 0, apr_formatted: '0% APR',
      total_formatted: '£99.00', interest_formatted: '£0.00', months: null, schedule: [row('25 Dec 2026', '25 Dec 2026', '£99.00')] },
    { id: 'fin_12', kind: 'financing', label: '12 months', summary: '£8.91 a month', apr: 0.199, apr_formatted: '19.9% APR',
      total_formatted: '£106.92', interest_formatted: '£7.92', months: 12, schedule: [] },
  ],
};

describe('createInterstitialViewModel', () => {
  it('selects the lead option and computes its schedule, totals and APR', () => {
    const vm = createInterstitialViewModel({ close() {} });
    assert.equal(vm.isReady(), false);
    vm.show(result, null);
    assert.equal(vm.isReady(), true);
    assert.equal(vm.selectedId(), 'pay_in_30');
    assert.deepEqual(vm.selected().schedule, [{ label: '25 Dec 2026', due: '', amount: '£99.00' }]);
    assert.equal(vm.theme(), 'dark');
    assert.equal(vm.texts().closeLabel, 'Schließen');
    assert.equal(vm.texts().totalLabel, 'Total');
  });

  it('recomputes when the shopper picks another option', () => {
    const vm = createInterstitialViewModel({ close() {} });
    vm.show(result, null);
    vm.selectedId('pay_in_4');
    assert.deepEqual(vm.selected().schedule, [
      { label: 'Today', due: '25 Nov 2026', amount: '£24.75' },
      { label: '9 Dec 2026', due: '', amount: '£24.75' },
    ]);
    vm.selectedId('fin_12');
    assert.equal(vm.selected().aprText, '19.9% APR');
    assert.equal(vm.selected().totalText, '£106.92');
    assert.equal(vm.selected().interestText, '£7.92');
  });

  it('keeps the choice across a new result when the option still exists', () => {
    const vm = createInterstitialViewModel({ close() {} });
    vm.show(result, null);
    vm.selectedId('fin_12');
    vm.show({ ...result, intro: 'Choose how you pay for your £249.00 order.' }, null);
    assert.equal(vm.selectedId(), 'fin_12');
    vm.show({ ...result, options: result.options.slice(0, 2) }, null);
    assert.equal(vm.selectedId(), 'pay_in_30');
  });

  it('is not ready without options, and takes labels from the server when given', () => {
    const vm = createInterstitialViewModel({ close() {} });
    vm.show({ kind: 'empty' }, 'dark');
    assert.equal(vm.isReady(), false);
    assert.deepEqual(vm.selected().schedule, []);
    vm.show({ ...result, lead_option: 'nope', labels: { total: 'Gesamt' } }, null);
    assert.equal(vm.selectedId(), 'pay_in_4');
    assert.equal(vm.texts().totalLabel, 'Gesamt');
    vm.show(null, null);
    assert.equal(vm.isReady(), false);
  });
});
