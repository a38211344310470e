// Tessera passkeys: the browser side of WebAuthn, through @simplewebauthn/browser
// (/static/simplewebauthn-browser.js, window.SimpleWebAuthnBrowser). A form marked
// data-passkey-form="register" or "authenticate" fetches its options from data-options-url
// (a POST carrying the form's CSRF token), asks the browser's authenticator, puts the answer in
// the form's hidden passkey_response field and submits the form: the server verifies it and
// redirects, like any other form.
(function () {
  'use strict';

  function fail(form, message) {
    var box = form.querySelector('[data-passkey-error]');
    if (box) {
      box.textContent = message;
      box.hidden = false;
    }
    var button = form.querySelector('[data-passkey-button]');
    if (button) button.disabled = false;
  }

  function run(form) {
    var kind = form.getAttribute('data-passkey-form');
    var lib = window.SimpleWebAuthnBrowser;
    if (!lib || !lib.browserSupportsWebAuthn()) {
      fail(form, 'This browser does not support passkeys.');
      return;
    }
    var csrf = form.querySelector('input[name="_csrf"]');
    var button = form.querySelector('[data-passkey-button]');
    if (button) button.disabled = true;
    fetch(form.getAttribute('data-options-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: '_csrf=' + encodeURIComponent(csrf ? csrf.value : ''),
    })
      .then(function (res) {
        if (!res.ok) throw new Error('The server did not answer (' + res.status + '). Reload the page and try again.');
        return res.json();
      })
      .then(function (options) {
        return kind === 'register' ? lib.startRegistration({ optionsJSON: options }) : lib.startAuthentication({ optionsJSON: options });
      })
      .then(function (response) {
        form.querySelector('input[name="passkey_response"]').value = JSON.stringify(response);
        form.submit();
      })
      .catch(function (err) {
        fail(form, err && err.name === 'NotAllowedError' ? 'The passkey was not used (cancelled or timed out). Try again.' : (err && err.message) || 'The passkey did not work.');
      });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-passkey-form')) return;
    if (form.querySelector('input[name="passkey_response"]').value !== '') return;
    event.preventDefault();
    run(form);
  });
})();
