import { renderCard } from '../../src/cards/render';

const template = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Request ${id}' },
    { type: 'FactSet', facts: [{ $data: '${facts}', title: '${name}', value: '${value}' }] },
  ],
};

describe('renderCard', () => {
  it('expands one template for many view models, each card its own', () => {
    const a = renderCard(template, { id: 'DSR-2026-0001', facts: [{ name: 'Regime', value: 'GDPR' }] });
    const b = renderCard(template, { id: 'DSR-2026-0002', facts: [] });
    expect(JSON.stringify(a)).toContain('Request DSR-2026-0001');
    expect(JSON.stringify(b)).toContain('Request DSR-2026-0002');
    expect(JSON.stringify(b)).not.toContain('GDPR');
    // A card changed after rendering changes neither the template nor the next card.
    (a.body as { text?: string }[])[0]!.text = 'changed';
    expect(template.body[0]).toEqual({ type: 'TextBlock', text: 'Request ${id}' });
    const c = renderCard(template, { id: 'DSR-2026-0003', facts: [] });
    expect(JSON.stringify(c)).toContain('Request DSR-2026-0003');
  });

  it('binds user text as data: an expression in it is not expanded', () => {
    const card = renderCard(template, { id: '${facts}', facts: [] });
    expect(JSON.stringify(card)).toContain('Request ${facts}');
  });
});
