// The suggested order on the phone, offline (issue 18): a transcription of
// inventory/calculations.py `suggest` and `is_near_expiry`, and of the way
// inventory/selectors.py builds the periods, so that the phone shows what the
// server will compute. Python's Decimal (28 significant digits, half-even) is
// reproduced with BigInt so that every result is the same to the last digit;
// visits/tests/test_offline_suggest.py checks both on the same inputs.
(function (root) {
  "use strict";
  var PREC = 28;
  var TEN = BigInt(10);

  function pow10(n) { return TEN ** BigInt(n); }
  function digits(c) { return (c < 0n ? -c : c).toString().length; }

  // A decimal number: c × 10^e (c a BigInt).
  function D(c, e) { return { c: c, e: e }; }
  function fromValue(value) {
    if (typeof value === "object" && value !== null && "c" in value) return value;
    var text = String(value).trim();
    var negative = text.charAt(0) === "-";
    if (negative || text.charAt(0) === "+") text = text.slice(1);
    var dot = text.indexOf(".");
    var e = 0;
    if (dot >= 0) { e = -(text.length - dot - 1); text = text.slice(0, dot) + text.slice(dot + 1); }
    var c = BigInt(text || "0");
    return D(negative ? -c : c, e);
  }
  // Round to PREC significant digits, half-even (`sticky`: a non-zero remainder was cut off before).
  function roundPrec(d, sticky) {
    var n = digits(d.c);
    if (n <= PREC) return d;
    var drop = n - PREC;
    var divisor = pow10(drop);
    var negative = d.c < 0n;
    var magnitude = negative ? -d.c : d.c;
    var high = magnitude / divisor;
    var low = magnitude % divisor;
    var twice = low * 2n;
    if (twice > divisor || (twice === divisor && (sticky || high % 2n === 1n))) high += 1n;
    return D(negative ? -high : high, d.e + drop);
  }
  function align(a, b) {
    var e = Math.min(a.e, b.e);
    return [a.c * pow10(a.e - e), b.c * pow10(b.e - e), e];
  }
  function add(a, b) { var x = align(a, b); return roundPrec(D(x[0] + x[1], x[2])); }
  function sub(a, b) { var x = align(a, b); return roundPrec(D(x[0] - x[1], x[2])); }
  function mul(a, b) { return roundPrec(D(a.c * b.c, a.e + b.e)); }
  function div(a, b) {
    if (a.c === 0n) return D(0n, 0);
    var negative = (a.c < 0n) !== (b.c < 0n);
    var n = a.c < 0n ? -a.c : a.c;
    var m = b.c < 0n ? -b.c : b.c;
    var shift = Math.max(0, PREC + 2 + digits(m) - digits(n));
    var scaled = n * pow10(shift);
    var q = scaled / m;
    var r = scaled % m;
    var result = roundPrec(D(negative ? -q : q, a.e - b.e - shift), r !== 0n);
    return result;
  }
  function cmp(a, b) { var x = align(a, b); return x[0] < x[1] ? -1 : x[0] > x[1] ? 1 : 0; }
  // Quantize to cents, half up (as inventory.calculations.money): a string "12.50".
  function cents(d) {
    var c = d.c, e = d.e;
    if (e > -2) { c = c * pow10(e + 2); } else if (e < -2) {
      var divisor = pow10(-2 - e);
      var negative = c < 0n;
      var magnitude = negative ? -c : c;
      var q = magnitude / divisor;
      if ((magnitude % divisor) * 2n >= divisor) q += 1n;
      c = negative ? -q : q;
    }
    var negative2 = c < 0n;
    var text = (negative2 ? -c : c).toString().padStart(3, "0");
    return (negative2 ? "-" : "") + text.slice(0, -2) + "." + text.slice(-2);
  }
  function ceil(d) {
    if (d.e >= 0) return Number(d.c * pow10(d.e));
    var divisor = pow10(-d.e);
    var q = d.c / divisor;  // truncates towards zero
    if (d.c > 0n && d.c % divisor !== 0n) q += 1n;
    return Number(q);
  }

  function median(values) {
    if (values.length === 1) return fromValue(values[0]);
    var ordered = values.map(fromValue).sort(cmp);
    var middle = Math.floor(ordered.length / 2);
    if (ordered.length % 2) return ordered[middle];
    return div(add(ordered[middle - 1], ordered[middle]), D(2n, 0));
  }

  // calculations.suggest: {period_sales, safety_stock (strings or null), suggested_quantity, flags}.
  function suggest(input) {
    var current = input.current_stock;
    var periods = input.periods || [];
    var coefficient = fromValue(input.coefficient);
    var cycle = input.cycle_days || null;
    var lookback = input.lookback || 3;
    var flags = [];
    if (current === 0) flags.push("out_of_stock");
    if (input.near_expiry) flags.push("near_expiry");
    if (!periods.length) {
      return { period_sales: null, safety_stock: null, suggested_quantity: null, flags: ["no_previous_count"].concat(flags) };
    }
    var sales = [], cycleSales = [], promotional = [];
    var normal = 0, scaled = 0;
    periods.forEach(function (period, index) {
      var sold = period[0] + period[1] - period[2];
      var days = period[3] || 0;
      sales.push(sold);
      if (index >= lookback || sold < 0) { cycleSales.push(null); return; }
      if (cycle && days > 0 && days !== cycle) {
        cycleSales.push(div(D(BigInt(sold * cycle), 0), D(BigInt(days), 0)));
        scaled |= 1 << index;
      } else {
        cycleSales.push(D(BigInt(sold), 0));
      }
      if (period[4]) promotional.push(index); else normal += 1;
    });
    if (normal && promotional.length) {
      promotional.forEach(function (index) { cycleSales[index] = null; scaled &= ~(1 << index); });
    }
    if (sales[0] < 0) {
      return { period_sales: null, safety_stock: null, suggested_quantity: null, flags: ["negative_sales"].concat(flags) };
    }
    var used = cycleSales.filter(function (value) { return value !== null; });
    if (normal && promotional.length) flags.push("promotion_excluded");
    if (scaled) flags.push("scaled_to_cycle");
    if (used.length > 1) flags.push("median_of_periods");
    var normalSales = median(used);
    var safety = mul(normalSales, coefficient);
    var currentD = D(BigInt(current), 0);
    if (cmp(currentD, normalSales) < 0) flags.push("low_cover");
    return {
      period_sales: cents(normalSales), safety_stock: cents(safety),
      suggested_quantity: Math.max(0, ceil(sub(safety, currentD))), flags: flags,
    };
  }

  function dayNumber(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000; }

  // calculations.is_near_expiry with the threshold [numerator, denominator].
  function nearExpiry(productionDate, shelfLifeDays, countedOn, threshold) {
    if (!productionDate || !shelfLifeDays) return false;
    var remaining = dayNumber(productionDate) - dayNumber(countedOn) + shelfLifeDays;
    return remaining * threshold[1] < threshold[0] * shelfLifeDays;
  }

  // The local day (YYYY-MM-DD) of a moment in the server's time zone.
  function localDay(moment, timeZone) {
    var parts = new Intl.DateTimeFormat("en-CA", { timeZone: timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(moment);
    var get = function (type) { return parts.filter(function (p) { return p.type === type; })[0].value; };
    return get("year") + "-" + get("month") + "-" + get("day");
  }

  // The suggestion of each counted line for a dealer of the bundle (visits/offline.py),
  // as inventory.selectors.suggested_orders builds the periods: newest first, from the
  // dealer's latest counts, up to the first count that lacks the product.
  // lines: [{product, quantity, production_date}]; countedOn: YYYY-MM-DD.
  function suggestForDealer(bundle, dealer, lines, countedOn) {
    var rule = bundle.rule;
    var days = [countedOn].concat(dealer.counts.map(function (count) { return count.day; }));
    var spans = [];
    for (var k = 1; k < days.length; k++) {
      var start = days[k], end = days[k - 1];
      spans.push({
        days: dayNumber(end) - dayNumber(start),
        promotion: dealer.promotions.some(function (w) { return w[0] <= end && w[1] > start; }),
      });
    }
    var products = {};
    dealer.products.forEach(function (product) { products[product.id] = product; });
    return lines.map(function (line) {
      var product = products[line.product] || { coefficient: rule.coefficient_default, shelf_life_days: null };
      var key = String(line.product);
      var periods = [], later = line.quantity;
      for (var i = 0; i < spans.length; i++) {
        var earlier = dealer.counts[i].lines[key];
        if (earlier === undefined || earlier === null) break;
        periods.push([earlier, (dealer.deliveries[i] || {})[key] || 0, later, spans[i].days, spans[i].promotion]);
        later = earlier;
      }
      var result = suggest({
        current_stock: line.quantity, periods: periods, coefficient: product.coefficient,
        cycle_days: dealer.cycle_days, lookback: rule.lookback,
        near_expiry: nearExpiry(line.production_date, product.shelf_life_days, countedOn, rule.near_expiry_threshold),
      });
      result.product = line.product;
      result.previous_stock = periods.length ? periods[0][0] : null;
      result.deliveries = periods.length ? periods[0][1] : 0;
      result.current_stock = line.quantity;
      result.coefficient = product.coefficient;
      return result;
    });
  }

  root.OfflineSuggest = { suggest: suggest, nearExpiry: nearExpiry, localDay: localDay, suggestForDealer: suggestForDealer };
})(typeof window !== "undefined" ? window : globalThis);
