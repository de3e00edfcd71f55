// The 2048 demo's game rules, checked in Node against the very game.js the
// unikernel serves. Run by meson (suite "data") through run-node.sh.
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');

const gameJs = process.argv[2] ||
  path.join(__dirname, '..', '..', 'data', 'demos', '2048', 'htdocs', 'game.js');
const game = require(path.resolve(gameJs));

let planned = 0;
let failed = 0;
const results = [];

function test (name, fn) {
  results.push([name, fn]);
}

test('a row merges in pairs from the edge it slides to', () => {
  const cases = [
    [[2, 2, 2, 2], [4, 4, 0, 0], 8],
    [[2, 2, 4, 0], [4, 4, 0, 0], 4],
    [[4, 0, 4, 4], [8, 4, 0, 0], 8],
    [[0, 0, 0, 2], [2, 0, 0, 0], 0],
    [[2, 4, 8, 16], [2, 4, 8, 16], 0],
    [[8, 8, 16, 16], [16, 32, 0, 0], 48],
    [[4, 4, 8, 0], [8, 8, 0, 0], 8],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0],
  ];
  for (const [row, expected, score] of cases) {
    const res = game.slideRow(row);
    assert.deepEqual(res.row, expected, `slideRow(${JSON.stringify(row)})`);
    assert.equal(res.score, score, `score of ${JSON.stringify(row)}`);
  }
});

test('a merged tile does not merge again in the same move', () => {
  assert.deepEqual(game.slideRow([4, 4, 8, 8]).row, [8, 16, 0, 0]);
  assert.deepEqual(game.slideRow([2, 2, 4, 4]).row, [4, 8, 0, 0]);
});

test('moves follow their direction', () => {
  const grid = [
    [2, 0, 2, 0],
    [0, 4, 0, 4],
    [2, 0, 0, 0],
    [2, 0, 0, 8],
  ];
  assert.deepEqual(game.move(grid, 'left').grid,
    [[4, 0, 0, 0], [8, 0, 0, 0], [2, 0, 0, 0], [2, 8, 0, 0]]);
  assert.deepEqual(game.move(grid, 'right').grid,
    [[0, 0, 0, 4], [0, 0, 0, 8], [0, 0, 0, 2], [0, 0, 2, 8]]);
  assert.deepEqual(game.move(grid, 'up').grid,
    [[4, 4, 2, 4], [2, 0, 0, 8], [0, 0, 0, 0], [0, 0, 0, 0]]);
  assert.deepEqual(game.move(grid, 'down').grid,
    [[0, 0, 0, 0], [0, 0, 0, 0], [2, 0, 0, 4], [4, 4, 2, 8]]);
  assert.equal(game.move(grid, 'left').score, 12);
});

test('the score grows by the value of each merged tile', () => {
  const grid = [[2, 2, 4, 4], [8, 8, 0, 0], [0, 0, 0, 0], [16, 0, 16, 0]];
  assert.equal(game.move(grid, 'left').score, 4 + 8 + 16 + 32);
  assert.equal(game.play(grid, 'left', () => 0).score, 60);
});

test('a move that changes nothing adds no tile', () => {
  const grid = [[2, 4, 8, 16], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
  const res = game.play(grid, 'left', () => 0);
  assert.equal(res.moved, false);
  assert.equal(res.score, 0);
  assert.deepEqual(res.grid, grid);
  assert.equal(game.play(grid, 'up', () => 0).moved, false);
});

test('a real move adds exactly one tile, a 2 or a 4', () => {
  const grid = [[2, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
  const count = (g) => g.flat().filter((v) => v !== 0).length;
  const two = game.play(grid, 'right', () => 0);
  assert.equal(two.moved, true);
  assert.equal(count(two.grid), 2);
  assert.deepEqual(two.grid.flat().filter((v) => v).sort(), [2, 2]);
  const four = game.play(grid, 'right', () => 0.95);
  assert.deepEqual(four.grid.flat().filter((v) => v).sort((a, b) => a - b), [2, 4]);
  assert.deepEqual(grid[0], [2, 0, 0, 0], 'the input grid is left alone');
});

test('new tiles go only to empty cells', () => {
  const full = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 4, 0]];
  for (const r of [0, 0.3, 0.99]) {
    const t = game.randomTile(full, () => r);
    assert.deepEqual([t.row, t.col], [3, 3]);
  }
  full[3][3] = 2;
  assert.equal(game.randomTile(full, Math.random), null);
});

test('game over only when no cell is empty and no neighbours match', () => {
  const stuck = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 4, 2]];
  assert.equal(game.canMove(stuck), false);
  const pair = stuck.map((row) => row.slice());
  pair[3][3] = 4;
  assert.equal(game.canMove(pair), true);
  const column = stuck.map((row) => row.slice());
  column[1][0] = 2;
  assert.equal(game.canMove(column), true);
  assert.equal(game.canMove(game.emptyGrid(4)), true);
});

test('2048 wins', () => {
  assert.equal(game.WINNING_VALUE, 2048);
  assert.equal(game.hasWon([[1024, 1024, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]), false);
  const won = game.move([[1024, 1024, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 'left');
  assert.equal(won.score, 2048);
  assert.equal(game.hasWon(won.grid), true);
});

console.log('TAP version 13');
console.log(`1..${results.length}`);
for (const [name, fn] of results) {
  planned++;
  try {
    fn();
    console.log(`ok ${planned} - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok ${planned} - ${name}`);
    for (const line of String(e.stack || e).split('\n'))
      console.log(`# ${line}`);
  }
}
process.exit(failed ? 1 : 0);
