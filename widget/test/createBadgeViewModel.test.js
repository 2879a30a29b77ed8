import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBadgeViewModel } from '../frame/createBadgeViewModel.js';

const badge = {
  kind: 'badge', html: 'Pay in 4 interest-free payments of <strong>£24.75</strong>', text: 'Pay in 4 interest-free payments of £24.75',
  compact_html: '4 × £24.75, 0% interest', compact_text: '4 × £24.75, 0% interest', cta: 'Learn more', theme: 'default',
};

describe('createBadgeViewModel', () => {
  it('shows a badge, with the call to action labelled by the full text', () => {
    const vm = createBadgeViewModel({ open() {} });
    assert.equal(vm.isHidden(), true);
    vm.show(badge, 'dark');
    assert.equal(vm.isHidden(), false);
    assert.equal(vm.ctaLabel(), 'Learn more: Pay in 4 interest-free payments of £24.75');
    assert.equal(vm.theme(), 'default');
  });

  it('goes compact only when too narrow and the result has a compact variant', () => {
    const vm = createBadgeViewModel({ open() {} });
    vm.show(badge, null);
    assert.equal(vm.isCompact(), false);
    vm.tooNarrow(true);
    assert.equal(vm.isCompact(), true);
    vm.show({ ...badge, compact_html: undefined }, null);
    assert.equal(vm.isCompact(), false);
  });

  it('hides for empty, missing and interstitial results', () => {
    const vm = createBadgeViewModel({ open() {} });
    for (const result of [{ kind: 'empty' }, null, { kind: 'interstitial', title: 't', options: [] }]) {
      vm.show(badge, null);
      vm.show(result, 'dark');
      assert.equal(vm.isHidden(), true);
      assert.equal(vm.theme(), 'dark');
    }
  });

  it('runs open on a click of the call to action', () => {
    let opened = 0;
    createBadgeViewModel({ open: () => opened++ }).open();
    assert.equal(opened, 1);
  });
});
