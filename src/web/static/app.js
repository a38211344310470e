// Tessera dashboard: the little client script there is (copy, reveal, tabs, key switch, confirm).
// Every page works without it; it only makes secrets easier to copy.
(function () {
  'use strict';

  function textOf(el) {
    return 'value' in el && typeof el.value === 'string' ? el.value : el.textContent || '';
  }

  function flash(button, label) {
    var original = button.getAttribute('data-label') || button.textContent;
    button.setAttribute('data-label', original);
    button.textContent = label;
    setTimeout(function () { button.textContent = original; }, 2000);
  }

  function selectText(el) {
    if (typeof el.select === 'function') { el.focus(); el.select(); return; }
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) return;
    var visible = target.querySelector('[data-copy-source]:not([hidden])') || target;
    var text = textOf(visible);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { flash(button, 'Copied'); },
        function () { selectText(visible); flash(button, 'Press Ctrl+C'); }
      );
    } else {
      selectText(visible);
      flash(button, 'Press Ctrl+C');
    }
  }

  function reveal(button) {
    var box = document.getElementById(button.getAttribute('data-reveal'));
    if (!box) return;
    var masked = box.querySelector('.masked');
    var clear = box.querySelector('.revealed');
    var showing = button.getAttribute('aria-expanded') === 'true';
    masked.hidden = !showing;
    clear.hidden = showing;
    button.setAttribute('aria-expanded', showing ? 'false' : 'true');
    button.textContent = showing ? 'Reveal' : 'Hide';
  }

  function selectTab(tab) {
    var list = tab.closest('[role="tablist"]');
    list.querySelectorAll('[role="tab"]').forEach(function (t) {
      var on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(t.getAttribute('aria-controls'));
      if (panel) panel.hidden = !on;
    });
  }

  document.addEventListener('click', function (event) {
    var el = event.target.closest('[data-copy], [data-reveal], [role="tab"]');
    if (!el) return;
    if (el.hasAttribute('data-copy')) copy(el);
    else if (el.hasAttribute('data-reveal')) reveal(el);
    else selectTab(el);
  });

  document.addEventListener('keydown', function (event) {
    var tab = event.target.closest && event.target.closest('[role="tab"]');
    if (!tab || (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft')) return;
    var tabs = Array.prototype.slice.call(tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]'));
    var next = tabs[(tabs.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    selectTab(next);
    next.focus();
  });

  document.addEventListener('change', function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute('data-key-switch')) return;
    var box = document.getElementById(input.getAttribute('data-key-switch'));
    if (box) box.setAttribute('data-key-mode', input.checked ? 'header' : 'url');
  });

  // On a narrow screen the navigation scrolls sideways: keep the current area in view, and show
  // a chevron on each side that has more items (data-more, styled in app.css).
  document.querySelectorAll('[data-scroll-nav]').forEach(function (nav) {
    var row = nav.querySelector('ul');
    if (!row) return;
    function mark() {
      var left = row.scrollLeft > 2;
      var right = row.scrollLeft + row.clientWidth < row.scrollWidth - 2;
      var more = left && right ? 'both' : left ? 'left' : right ? 'right' : '';
      if (more) nav.setAttribute('data-more', more);
      else nav.removeAttribute('data-more');
    }
    var current = row.querySelector('[aria-current="page"]');
    if (current) row.scrollLeft = current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
    mark();
    row.addEventListener('scroll', mark, { passive: true });
    window.addEventListener('resize', mark);
  });

  // Without script every snippet and every tab panel is visible; with it, tabs take over.
  document.querySelectorAll('[role="tablist"]').forEach(function (list) {
    var first = list.querySelector('[role="tab"]');
    if (first) selectTab(first);
  });
  // Destructive actions ask first. The consequence is on the submit button (data-confirm); the
  // dialog's "yes" adds confirmed=yes and submits again. Without script the server asks instead,
  // on a confirmation page.
  var dialog = null;
  function confirmDialog() {
    if (dialog) return dialog;
    dialog = document.createElement('dialog');
    dialog.className = 'confirm-dialog';
    dialog.setAttribute('aria-labelledby', 'confirm-dialog-title');
    dialog.setAttribute('aria-describedby', 'confirm-dialog-text');
    dialog.innerHTML =
      '<h2 id="confirm-dialog-title">Are you sure?</h2>' +
      '<p id="confirm-dialog-text"></p>' +
      '<div class="actions"><button type="button" class="button button-danger" data-dialog-yes></button>' +
      '<button type="button" class="button button-secondary" data-dialog-no>Cancel</button></div>';
    document.body.appendChild(dialog);
    dialog.querySelector('[data-dialog-no]').addEventListener('click', function () { dialog.close(); });
    return dialog;
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var button = event.submitter || form.querySelector('[data-confirm]');
    var message = (button && button.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (!message || form.querySelector('input[name="confirmed"][value="yes"]')) return;
    event.preventDefault();
    var box = confirmDialog();
    box.querySelector('#confirm-dialog-title').textContent = (button ? button.textContent.trim() : 'Continue') + '?';
    box.querySelector('#confirm-dialog-text').textContent = message;
    var yes = box.querySelector('[data-dialog-yes]');
    yes.textContent = button ? button.textContent.trim() : 'Continue';
    yes.onclick = function () {
      var field = document.createElement('input');
      field.type = 'hidden';
      field.name = 'confirmed';
      field.value = 'yes';
      form.appendChild(field);
      box.close();
      if (form.requestSubmit && button && button.form === form) form.requestSubmit(button);
      else form.submit();
    };
    box.showModal();
    box.querySelector('[data-dialog-no]').focus();
  });

  // The step editor: choosing a step type shows its fields at once (without script, "Show its
  // fields" asks the server). Fields of the other types are disabled, so they neither submit nor
  // block the form.
  function showStepType(select) {
    var box = document.getElementById(select.getAttribute('data-step-type-switch'));
    if (!box) return;
    box.querySelectorAll('fieldset[data-step-type]').forEach(function (set) {
      var on = set.getAttribute('data-step-type') === select.value;
      set.hidden = !on;
      set.disabled = !on;
      if (on) {
        var summary = set.querySelector('.hint');
        var hint = document.getElementById(select.getAttribute('aria-describedby'));
        if (summary && hint) hint.textContent = summary.textContent;
      }
    });
  }
  document.addEventListener('change', function (event) {
    var select = event.target;
    if (select.hasAttribute && select.hasAttribute('data-step-type-switch')) showStepType(select);
  });
  document.querySelectorAll('[data-without-script]').forEach(function (el) { el.hidden = true; });
})();
