/*
 * DOR — progressive enhancement of the registration, correction and disposal forms. Every form
 * works without this script; it only hides fields that do not apply to the chosen category, checks
 * an IMEI's check digit while typing and hides the new-seller fields when a returning seller is
 * chosen. A field that holds a value or an error is never hidden.
 */
(function () {
  'use strict';

  /* A field (or group of fields) that holds a value or an error stays visible. */
  function keepVisible(el) {
    var controls = el.querySelectorAll('input, select, textarea');
    for (var i = 0; i < controls.length; i++) if (controls[i].value !== '') return true;
    return el.classList.contains('utrecht-form-field--invalid') || el.querySelector('.utrecht-form-field--invalid') !== null;
  }

  /* Fields per category: each field lists the categories it matters for in data-categories. */
  function applyCategory(item) {
    var select = item.querySelector('select[name$="category"]');
    if (!select) return;
    var category = select.value;
    var fields = item.querySelectorAll('[data-categories]');
    for (var i = 0; i < fields.length; i++) {
      var relevant = !category || fields[i].getAttribute('data-categories').split(' ').indexOf(category) !== -1;
      fields[i].hidden = !relevant && !keepVisible(fields[i]);
    }
  }

  /* IMEI: 15 digits, the last one the Luhn check digit of the first 14. */
  function luhnValid(digits) {
    var sum = 0;
    for (var i = 0; i < digits.length; i++) {
      var d = Number(digits.charAt(i));
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    return sum % 10 === 0;
  }

  function checkImei(input, finished) {
    var live = document.getElementById(input.id + '-live');
    if (!live) return;
    var digits = input.value.replace(/\D/g, '');
    var message = '';
    var ok = false;
    if (digits.length === 15) {
      ok = luhnValid(digits);
      message = ok ? 'Dit IMEI-nummer klopt.' : 'Dit IMEI-nummer klopt niet: controleer de cijfers.';
    } else if (digits.length > 15) {
      message = 'Een IMEI heeft 15 cijfers; dit zijn er ' + digits.length + '.';
    } else if (digits.length > 0 && finished) {
      message = 'Een IMEI heeft 15 cijfers; dit zijn er ' + digits.length + '.';
    }
    if (live.textContent !== message) live.textContent = message;
    live.className = 'dor-live' + (message ? (ok ? ' dor-live--ok' : ' dor-live--error') : '');
  }

  function each(list, fn) {
    for (var i = 0; i < list.length; i++) fn(list[i]);
  }

  each(document.querySelectorAll('[data-item]'), function (item) {
    applyCategory(item);
    var select = item.querySelector('select[name$="category"]');
    if (select) select.addEventListener('change', function () { applyCategory(item); });
  });

  each(document.querySelectorAll('input[name$="imei"], input[name$="imei2"]'), function (input) {
    input.addEventListener('input', function () { checkImei(input, false); });
    input.addEventListener('change', function () { checkImei(input, true); });
    if (input.value) checkImei(input, true);
  });

  /* A returning seller: the new-seller fields are not needed. */
  var sellerSelect = document.getElementById('sellerId');
  var newSeller = document.getElementById('nieuwe-verkoper');
  if (sellerSelect && newSeller) {
    var applySeller = function () { newSeller.hidden = sellerSelect.value !== ''; };
    sellerSelect.addEventListener('change', applySeller);
    applySeller();
  }

  /* Enter in the seller search searches (instead of submitting the registration). */
  var search = document.getElementById('sellerSearch');
  var searchButton = document.getElementById('sellerSearch-button');
  if (search && searchButton) {
    search.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        searchButton.click();
      }
    });
  }

  /* Disposal: price and buyer only for a sale. */
  var sale = document.querySelector('[data-sale]');
  if (sale) {
    var kinds = document.querySelectorAll('input[name="kind"]');
    var applyKind = function () {
      var chosen = document.querySelector('input[name="kind"]:checked');
      var fields = sale.querySelectorAll('.utrecht-form-field');
      var keep = false;
      each(fields, function (f) { if (keepVisible(f)) keep = true; });
      sale.hidden = !!chosen && chosen.value !== 'sale' && !keep;
    };
    each(kinds, function (k) { k.addEventListener('change', applyKind); });
    applyKind();
  }
})();
