// The TextMate grammar's regular expressions, run with JavaScript's engine (close to Oniguruma for these).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

interface Rule {
  match?: string;
  name?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
}

const grammar = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'syntaxes', 'ngb.tmLanguage.json'), 'utf8')) as {
  repository: Record<string, Rule>;
};

function regex(rule: string): RegExp {
  const source = grammar.repository[rule].match;
  assert.ok(source, `rule ${rule} has a match`);
  return new RegExp(source, 'gu');
}

function matches(rule: string, text: string): string[] {
  return [...text.matchAll(regex(rule))].map((m) => m[0]);
}

function allRules(rules: Rule[]): Rule[] {
  return rules.flatMap((rule) => [rule, ...allRules(rule.patterns ?? []), ...allRules(Object.values(rule.captures ?? {}))]);
}

describe('ngb TextMate grammar', () => {
  it('has regular expressions that compile', () => {
    for (const rule of allRules(Object.values(grammar.repository))) {
      if (rule.match !== undefined) {
        assert.doesNotThrow(() => new RegExp(rule.match as string, 'u'), rule.match);
      }
    }
  });

  it('captures the name, primes, parameters and = of definitions', () => {
    const m = new RegExp(grammar.repository.definition.match as string, 'u').exec("f''(x, y) = 2*x");
    assert.ok(m);
    assert.deepStrictEqual([m[1], m[2], m[4], m[6]], ['f', "''", 'x, y', '=']);
    assert.strictEqual(new RegExp(grammar.repository.definition.match as string, 'u').exec("f'(0)"), null);
    assert.strictEqual(new RegExp(grammar.repository.definition.match as string, 'u').exec('f(x) == 2'), null);
  });

  it('captures gradient, Jacobian and Hessian claims: the symbol, the variable, the function', () => {
    const symbol = new RegExp(grammar.repository['derivative-symbol'].match as string, 'u');
    for (const [text, parts] of [
      ['∇_W L = 2*W', ['∇_', 'W', 'L', '=']],
      ['J_x f = W', ['J_', 'x', 'f', '=']],
      ['H_x q = A + A.T', ['H_', 'x', 'q', '=']],
      ['∇²_x q = 2*A', ['∇²_', 'x', 'q', '=']],
    ] as const) {
      assert.deepStrictEqual(symbol.exec(text)?.slice(1), parts);
    }
    assert.strictEqual(symbol.exec('J_x = 3'), null);
    assert.strictEqual(symbol.exec('L(W) == 2'), null);
  });

  it('captures constant definitions but not comparisons', () => {
    const constant = new RegExp(grammar.repository['constant-definition'].match as string, 'u');
    assert.deepStrictEqual(constant.exec('lr = 0.1')?.slice(1), ['lr', '=']);
    assert.strictEqual(constant.exec('lr == 0.1'), null);
  });

  it('finds d/dx forms, partials, numbers, constants and comments', () => {
    assert.deepStrictEqual(matches('leibniz', 'd/dx f(x) + d2/dy2 g + d^2/dx^2 h + d/dtheta k'), ['d/dx', 'd2/dy2', 'd^2/dx^2', 'd/dtheta']);
    assert.deepStrictEqual(matches('partial', '∂f/∂x'), ['∂', '∂']);
    assert.deepStrictEqual(matches('number', 'x2 + 3.5e-3*x + .5 - 10'), ['3.5e-3', '.5', '10']);
    assert.deepStrictEqual(matches('constant', 'pi*x + inf - E + Ex + π'), ['pi', 'inf', 'E', 'π']);
    assert.deepStrictEqual(matches('comment', "f'(0)  # the slope"), ['# the slope']);
    const directive = new RegExp(grammar.repository.directive.match as string, 'u').exec('@domain x, y in (0, inf)');
    assert.ok(directive);
    assert.deepStrictEqual([directive[2], directive[3], directive[4]], ['domain', 'x, y', 'in']);
  });

  it('marks catalog functions only where they are called', () => {
    assert.deepStrictEqual(matches('catalog-function', 'sigmoid(x) * relu (x) + tanh + softplus(x)'), ['sigmoid', 'relu', 'softplus']);
    assert.deepStrictEqual(matches('catalog-function', 'exp(x) + expm1(x)'), ['exp', 'expm1']);
  });

  it('finds primes after names and calls, and operators', () => {
    assert.deepStrictEqual(matches('prime', "f'(0) + g''(1)"), ["'", "''"]);
    assert.deepStrictEqual(matches('operator', 'x**2 + 3*x - 1/y >= 0'), ['**', '+', '*', '-', '/', '>=']);
  });
});
