/* 2048, written for the Unistudio demo unikernel.
 *
 * The first half is the pure game logic (no DOM), which Node can load for tests;
 * the second half draws the board and handles input in a browser. */
(function () {
  'use strict';

  var SIZE = 4;
  var WINNING_VALUE = 2048;

  /* Coordinates of the k-th line for a move in direction `dir`, listed from the
   * edge the tiles slide towards. */
  function lineCoords (dir, k, size) {
    var coords = [];
    for (var i = 0; i < size; i++) {
      switch (dir) {
        case 'left': coords.push([k, i]); break;
        case 'right': coords.push([k, size - 1 - i]); break;
        case 'up': coords.push([i, k]); break;
        case 'down': coords.push([size - 1 - i, k]); break;
        default: throw new Error('unknown direction: ' + dir);
      }
    }
    return coords;
  }

  /* Slides one line of tiles (objects with a `value`, or null) towards index 0.
   * Each output cell is null or { value, from: [tiles it came from] }; a tile merges
   * at most once per move. */
  function slideLine (line) {
    var tiles = line.filter(Boolean);
    var out = [];
    var score = 0;
    for (var i = 0; i < tiles.length; i++) {
      var next = tiles[i + 1];
      if (next && next.value === tiles[i].value) {
        out.push({ value: tiles[i].value * 2, from: [tiles[i], next] });
        score += tiles[i].value * 2;
        i++;
      } else {
        out.push({ value: tiles[i].value, from: [tiles[i]] });
      }
    }
    while (out.length < line.length)
      out.push(null);
    var moved = out.some(function (cell, j) {
      if (!cell)
        return line[j] !== null;
      return cell.from.length > 1 || cell.from[0] !== line[j];
    });
    return { line: out, score: score, moved: moved };
  }

  /* Moves a grid of tiles (rows of objects with `value`, or null). */
  function moveCells (cells, dir) {
    var size = cells.length;
    var result = [];
    var score = 0;
    var moved = false;
    for (var r = 0; r < size; r++)
      result.push(new Array(size).fill(null));
    for (var k = 0; k < size; k++) {
      var coords = lineCoords(dir, k, size);
      var slid = slideLine(coords.map(function (rc) { return cells[rc[0]][rc[1]]; }));
      slid.line.forEach(function (cell, i) { result[coords[i][0]][coords[i][1]] = cell; });
      score += slid.score;
      moved = moved || slid.moved;
    }
    return { cells: result, score: score, moved: moved };
  }

  function toCells (grid) {
    return grid.map(function (row) {
      return row.map(function (v) { return v ? { value: v } : null; });
    });
  }

  function toNumbers (cells) {
    return cells.map(function (row) {
      return row.map(function (c) { return c ? c.value : 0; });
    });
  }

  /* Number API: slideRow([2, 2, 2, 2]) gives { row: [4, 4, 0, 0], score: 8, moved: true }. */
  function slideRow (row) {
    var slid = slideLine(row.map(function (v) { return v ? { value: v } : null; }));
    return {
      row: slid.line.map(function (c) { return c ? c.value : 0; }),
      score: slid.score,
      moved: slid.moved,
    };
  }

  function move (grid, dir) {
    var res = moveCells(toCells(grid), dir);
    return { grid: toNumbers(res.cells), score: res.score, moved: res.moved };
  }

  function emptyPositions (grid) {
    var empty = [];
    grid.forEach(function (row, r) {
      row.forEach(function (v, c) { if (!v) empty.push([r, c]); });
    });
    return empty;
  }

  /* Picks where the next tile goes and what it is: a 2, or a 4 one time in ten.
   * `random` returns numbers in [0, 1) like Math.random. Null when the grid is full. */
  function randomTile (grid, random) {
    var empty = emptyPositions(grid);
    if (empty.length === 0)
      return null;
    var pos = empty[Math.floor(random() * empty.length)];
    return { row: pos[0], col: pos[1], value: random() < 0.9 ? 2 : 4 };
  }

  function addRandomTile (grid, random) {
    var next = grid.map(function (row) { return row.slice(); });
    var tile = randomTile(grid, random || Math.random);
    if (tile)
      next[tile.row][tile.col] = tile.value;
    return next;
  }

  /* One full turn: the move, then a new tile only if something moved. */
  function play (grid, dir, random) {
    var res = move(grid, dir);
    if (!res.moved)
      return { grid: grid, score: 0, moved: false };
    return { grid: addRandomTile(res.grid, random), score: res.score, moved: true };
  }

  function canMove (grid) {
    var size = grid.length;
    for (var r = 0; r < size; r++) {
      for (var c = 0; c < size; c++) {
        var v = grid[r][c];
        if (!v)
          return true;
        if (c + 1 < size && grid[r][c + 1] === v)
          return true;
        if (r + 1 < size && grid[r + 1][c] === v)
          return true;
      }
    }
    return false;
  }

  function hasWon (grid) {
    return grid.some(function (row) {
      return row.some(function (v) { return v >= WINNING_VALUE; });
    });
  }

  function emptyGrid (size) {
    var grid = [];
    for (var r = 0; r < size; r++)
      grid.push(new Array(size).fill(0));
    return grid;
  }

  var logic = {
    SIZE: SIZE,
    WINNING_VALUE: WINNING_VALUE,
    slideRow: slideRow,
    move: move,
    play: play,
    randomTile: randomTile,
    addRandomTile: addRandomTile,
    canMove: canMove,
    hasWon: hasWon,
    emptyGrid: emptyGrid,
  };

  if (typeof module !== 'undefined' && module.exports)
    module.exports = logic;

  if (typeof document === 'undefined')
    return;

  /* ---- The browser part ---- */

  var BEST_KEY = 'unistudio-2048-best';
  var KEYS = {
    ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down',
    a: 'left', d: 'right', w: 'up', s: 'down',
    A: 'left', D: 'right', W: 'up', S: 'down',
  };
  var SLIDE_MS = 120;

  var board = document.getElementById('board');
  var tileLayer = document.getElementById('tiles');
  var scoreEl = document.getElementById('score');
  var bestEl = document.getElementById('best');
  var overlay = document.getElementById('overlay');
  var overlayTitle = document.getElementById('overlay-title');
  var keepGoingButton = document.getElementById('keep-going');

  var cells;          /* rows of { id, value } or null */
  var score;
  var best = loadBest();
  var won;            /* the player has seen the win overlay */
  var over;
  var nextId = 1;
  var elements = {};  /* tile id -> element */

  function loadBest () {
    try {
      return parseInt(window.localStorage.getItem(BEST_KEY), 10) || 0;
    } catch (e) {
      return 0;
    }
  }

  function saveBest () {
    try {
      window.localStorage.setItem(BEST_KEY, String(best));
    } catch (e) {
      /* Private browsing: the best score lasts as long as the page. */
    }
  }

  function createTileElement (tile, row, col, kind) {
    var el = document.createElement('div');
    el.className = 'tile';
    var inner = document.createElement('div');
    inner.className = 'tile-inner' + (kind ? ' ' + kind : '');
    el.appendChild(inner);
    setTile(el, tile.value, row, col);
    tileLayer.appendChild(el);
    elements[tile.id] = el;
    return el;
  }

  function setTile (el, value, row, col) {
    el.style.setProperty('--row', row);
    el.style.setProperty('--col', col);
    el.dataset.value = value > WINNING_VALUE ? 'super' : String(value);
    el.dataset.digits = String(String(value).length);
    el.firstChild.textContent = value;
  }

  function gridNumbers () {
    return cells.map(function (row) {
      return row.map(function (c) { return c ? c.value : 0; });
    });
  }

  function spawnTile () {
    var t = randomTile(gridNumbers(), Math.random);
    if (!t)
      return;
    var tile = { id: nextId++, value: t.value };
    cells[t.row][t.col] = tile;
    createTileElement(tile, t.row, t.col, 'appear');
  }

  function updateScore (gained) {
    score += gained;
    scoreEl.textContent = score;
    if (gained > 0) {
      var plus = document.createElement('span');
      plus.className = 'score-plus';
      plus.textContent = '+' + gained;
      scoreEl.parentNode.appendChild(plus);
      plus.addEventListener('animationend', function () { plus.remove(); });
    }
    if (score > best) {
      best = score;
      saveBest();
    }
    bestEl.textContent = best;
  }

  function showOverlay (kind) {
    overlay.hidden = false;
    overlay.className = 'overlay ' + kind;
    overlayTitle.textContent = kind === 'won' ? 'You win!' : 'Game over!';
    keepGoingButton.hidden = kind !== 'won';
    (kind === 'won' ? keepGoingButton : document.getElementById('try-again')).focus();
  }

  function hideOverlay () {
    overlay.hidden = true;
    overlay.className = 'overlay';
  }

  function newGame () {
    tileLayer.textContent = '';
    elements = {};
    cells = emptyGrid(SIZE).map(function (row) { return row.map(function () { return null; }); });
    score = 0;
    won = false;
    over = false;
    hideOverlay();
    updateScore(0);
    spawnTile();
    spawnTile();
  }

  function step (dir) {
    if (over || !overlay.hidden)
      return;
    var res = moveCells(cells, dir);
    if (!res.moved)
      return;

    var next = emptyGrid(SIZE).map(function (row) { return row.map(function () { return null; }); });
    res.cells.forEach(function (row, r) {
      row.forEach(function (cell, c) {
        if (!cell)
          return;
        if (cell.from.length === 1) {
          var kept = cell.from[0];
          setTile(elements[kept.id], kept.value, r, c);
          next[r][c] = kept;
          return;
        }
        /* Both halves slide onto the cell, then make way for the merged tile. */
        cell.from.forEach(function (src) {
          var el = elements[src.id];
          delete elements[src.id];
          el.style.setProperty('--row', r);
          el.style.setProperty('--col', c);
          el.classList.add('leaving');
          window.setTimeout(function () { el.remove(); }, SLIDE_MS);
        });
        var merged = { id: nextId++, value: cell.value };
        next[r][c] = merged;
        createTileElement(merged, r, c, 'merged');
      });
    });
    cells = next;
    updateScore(res.score);
    spawnTile();

    var numbers = gridNumbers();
    if (!won && hasWon(numbers)) {
      won = true;
      window.setTimeout(function () { showOverlay('won'); }, SLIDE_MS * 2);
    } else if (!canMove(numbers)) {
      over = true;
      window.setTimeout(function () { showOverlay('lost'); }, SLIDE_MS * 2);
    }
  }

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey)
      return;
    var dir = KEYS[event.key];
    if (!dir)
      return;
    event.preventDefault();
    step(dir);
  });

  var touchStart = null;
  board.addEventListener('touchstart', function (event) {
    if (event.touches.length !== 1) {
      touchStart = null;
      return;
    }
    touchStart = { x: event.touches[0].clientX, y: event.touches[0].clientY };
  }, { passive: true });
  board.addEventListener('touchmove', function (event) {
    if (touchStart)
      event.preventDefault();
  }, { passive: false });
  board.addEventListener('touchend', function (event) {
    if (!touchStart)
      return;
    var dx = event.changedTouches[0].clientX - touchStart.x;
    var dy = event.changedTouches[0].clientY - touchStart.y;
    touchStart = null;
    if (Math.max(Math.abs(dx), Math.abs(dy)) < 24)
      return;
    if (Math.abs(dx) > Math.abs(dy))
      step(dx > 0 ? 'right' : 'left');
    else
      step(dy > 0 ? 'down' : 'up');
  });

  document.getElementById('new-game').addEventListener('click', newGame);
  document.getElementById('try-again').addEventListener('click', newGame);
  keepGoingButton.addEventListener('click', function () {
    hideOverlay();
    board.focus();
  });

  var background = board.querySelector('.cells');
  for (var i = 0; i < SIZE * SIZE; i++)
    background.appendChild(document.createElement('div'));

  newGame();
})();
