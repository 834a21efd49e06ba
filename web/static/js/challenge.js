// Registration's proof of work (internal/challenge): GET /api/v1/challenge gives a signed
// nonce and a difficulty; this finds a counter n such that sha256(nonce || n as 8 bytes
// big-endian) starts with that many zero bits, in slices of a few tens of milliseconds so
// the page stays responsive, and hands back the headers POST /participants wants. No
// third-party service: the hashing is this file. The message is 33 bytes, one SHA-256
// block, so everything but the counter's words is set up once.
(function () {
  "use strict";
  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);
  var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  var W = new Int32Array(64);

  function hexBytes(hex) {
    var out = [];
    for (var i = 0; i < hex.length; i += 2) { out.push(parseInt(hex.substr(i, 2), 16)); }
    return out;
  }

  // firstWord is the first 32 bits of sha256(nonce || counter), counter < 2^32 (the
  // high four bytes are zero). base holds the words that do not depend on the counter.
  function firstWord(base, counter) {
    var i;
    for (i = 0; i < 16; i++) { W[i] = base[i]; }
    W[6] = base[6];
    W[7] = counter >>> 8;
    W[8] = ((counter & 0xff) << 24) | 0x800000;
    for (i = 16; i < 64; i++) {
      var w15 = W[i - 15], w2 = W[i - 2];
      var s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      var s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
    for (i = 0; i < 64; i++) {
      var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      var t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    return (a + H[0]) >>> 0;
  }

  function baseWords(nonce) {
    var m = new Array(64).fill(0);
    for (var i = 0; i < nonce.length; i++) { m[i] = nonce[i]; }
    // bytes 25..32 are the counter (filled per try), 33 is the padding bit; the length is
    // 33 bytes = 264 bits, in the last word.
    var base = new Int32Array(16);
    for (var w = 0; w < 16; w++) {
      base[w] = (m[4 * w] << 24) | (m[4 * w + 1] << 16) | (m[4 * w + 2] << 8) | m[4 * w + 3];
    }
    base[15] = 264;
    return base;
  }

  // solve searches in slices of sliceMs, yielding to the page between them, and resolves
  // to { counter, tries, ms }.
  function solve(nonceHex, difficulty, sliceMs) {
    var base = baseWords(hexBytes(nonceHex));
    var mask = difficulty >= 32 ? 0xffffffff : ~(0xffffffff >>> difficulty) >>> 0;
    var n = 0, started = Date.now();
    return new Promise(function (resolve) {
      function slice() {
        var until = Date.now() + (sliceMs || 40);
        do {
          for (var k = 0; k < 2000; k++, n++) {
            if ((firstWord(base, n) & mask) === 0) {
              resolve({ counter: n, tries: n + 1, ms: Date.now() - started });
              return;
            }
          }
        } while (Date.now() < until);
        setTimeout(slice, 0);
      }
      slice();
    });
  }

  // prepare fetches a challenge and solves it; it resolves to the headers to send (none
  // when the server asks for no challenge) or to null when the challenge could not be had
  // (the server then says what is missing).
  function prepare() {
    return window.App.api("GET", "/challenge", undefined, { auth: false }).then(function (res) {
      if (!res.ok || !res.data) { return null; }
      if (!res.data.required) { return {}; }
      return solve(res.data.nonce, res.data.difficulty).then(function (r) {
        return { "X-Challenge-Token": res.data.token, "X-Challenge-Counter": String(r.counter) };
      });
    }, function () { return null; });
  }

  window.App = window.App || {};
  window.App.challenge = { prepare: prepare, solve: solve };
})();
