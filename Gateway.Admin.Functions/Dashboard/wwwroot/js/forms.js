// Forms built from a field list. The body sent is the admin API's JSON; a 400 from the API is
// shown field by field, next to the input its message names.
import { ApiError } from './api.js';
import { h } from './ui.js';

let formCount = 0;

/**
 * fields: [{ name, label, type: text|password|number|select|checkbox|list|json|paths|textarea,
 *            options, help, wide, placeholder, required }]
 * Names with a dot ("setting.apikey") become nested objects. Empty inputs are left out of the body.
 */
export function buildForm(fields, { initial = {}, submitLabel = 'Save', onSubmit, onCancel, testId } = {}) {
  const id = ++formCount;
  const general = h('p', { class: 'error', role: 'alert', 'data-testid': 'form-error' });
  const inputs = new Map();
  const grid = h('div', { class: 'form-grid' });
  for (const field of fields) {
    const inputId = `f${id}-${field.name.replace(/\W/g, '-')}`;
    const input = createInput(field, inputId, valueAt(initial, field.name));
    const message = h('div', { class: 'field-error', 'data-error-for': field.name });
    inputs.set(field.name, { field, input, message });
    const wrap = field.type === 'checkbox'
      ? h('div', { class: field.wide ? 'wide' : null }, h('label', { class: 'check', for: inputId }, input, field.label), message)
      : h('div', { class: field.wide || ['json', 'paths', 'textarea'].includes(field.type) ? 'wide' : null },
        h('label', { for: inputId }, field.label, field.required ? ' *' : ''), input,
        field.help ? h('div', { class: 'muted' }, field.help) : null, message);
    grid.append(wrap);
  }

  const submit = h('button', { type: 'submit' }, submitLabel);
  const form = h('form', { novalidate: true, autocomplete: 'off', 'data-testid': testId }, grid, general,
    h('div', { class: 'form-actions' }, submit, onCancel ? h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel') : null));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(inputs, general);
    let body;
    try {
      body = readBody(inputs);
    } catch (error) {
      showErrors(inputs, general, error.fields || [{ field: '', message: error.message }]);
      return;
    }
    submit.disabled = true;
    try {
      await onSubmit(body, form);
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) showErrors(inputs, general, error.fields);
      else showErrors(inputs, general, [{ field: '', message: error.message }]);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function createInput(field, id, value) {
  const common = { id, name: field.name, placeholder: field.placeholder, 'data-field': field.name };
  switch (field.type) {
    case 'select': {
      const select = h('select', common, (field.options || []).map((o) => h('option', { value: o.value ?? o }, o.label ?? o)));
      if (value !== undefined && value !== null) select.value = String(value);
      return select;
    }
    case 'multiselect': {
      const select = h('select', { ...common, multiple: true, size: Math.min(Math.max((field.options || []).length, 2), 6) },
        (field.options || []).map((o) => h('option', { value: o.value, selected: (value || []).includes(o.value) }, o.label)));
      return select;
    }
    case 'checkbox':
      return h('input', { ...common, type: 'checkbox', checked: Boolean(value) });
    case 'json':
      return h('textarea', { ...common, spellcheck: 'false' }, value === undefined || value === null ? (field.template || '') : JSON.stringify(value, null, 2));
    case 'paths':
      return h('textarea', { ...common, spellcheck: 'false' }, (value || []).map((p) => `${p.method} ${p.path}`).join('\n'));
    case 'textarea':
      return h('textarea', common, value ?? '');
    case 'list':
      return h('input', { ...common, type: 'text', value: (value || []).join(', ') });
    case 'password':
      return h('input', { ...common, type: 'password', autocomplete: 'new-password', value: '' });
    case 'number':
      return h('input', { ...common, type: 'number', step: field.step || 'any', min: 0, value: value || value === 0 && field.keepZero ? value : '' });
    default:
      return h('input', { ...common, type: 'text', value: value ?? '' });
  }
}

function readBody(inputs) {
  const body = {};
  const problems = [];
  for (const { field, input } of inputs.values()) {
    let value;
    const raw = field.type === 'checkbox' ? input.checked : field.type === 'multiselect' ? [...input.selectedOptions].map((o) => o.value) : input.value.trim();
    switch (field.type) {
      case 'checkbox': value = raw; break;
      case 'multiselect': value = raw.length ? raw : undefined; break;
      case 'number': value = raw === '' ? (field.sendEmpty ? 0 : undefined) : Number(raw); break;
      case 'list': value = raw === '' ? (field.sendEmpty ? [] : undefined) : raw.split(',').map((s) => s.trim()).filter(Boolean); break;
      case 'paths':
        value = raw === '' ? (field.sendEmpty ? [] : undefined) : raw.split('\n').map((s) => s.trim()).filter(Boolean).map((line) => {
          const [method, ...rest] = line.split(/\s+/);
          return { method: method.toUpperCase(), path: rest.join(' ') };
        });
        break;
      case 'json':
        if (raw === '') { value = undefined; break; }
        try { value = JSON.parse(raw); } catch (e) { problems.push({ field: field.name, message: `${field.name} is not valid JSON: ${e.message}` }); }
        break;
      case 'select': value = raw === '' && !field.sendEmpty ? undefined : raw; break;
      default: value = raw === '' ? undefined : raw;
    }
    if (field.unchangedWhenEmpty && (value === undefined || value === '')) continue;
    if (value === undefined) continue;
    setAt(body, field.name, value);
  }
  if (problems.length) { const error = new Error('invalid input'); error.fields = problems; throw error; }
  return body;
}

function clearErrors(inputs, general) {
  general.textContent = '';
  for (const { input, message } of inputs.values()) { message.textContent = ''; input.classList.remove('invalid'); }
}

function showErrors(inputs, general, fields) {
  const unmatched = [];
  for (const { field, message } of fields) {
    const target = inputs.get(field) || inputs.get(field.split(/[.[]/)[0]) || inputs.get(field.replace(/\[\d+\].*$/, ''));
    if (target) {
      target.message.textContent = target.message.textContent ? `${target.message.textContent}; ${message}` : message;
      target.input.classList.add('invalid');
    } else {
      unmatched.push(message);
    }
  }
  general.textContent = unmatched.length ? unmatched.join('; ') : 'Please correct the fields marked above.';
}

function valueAt(object, path) {
  return path.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), object);
}

function setAt(object, path, value) {
  const keys = path.split('.');
  let target = object;
  for (const key of keys.slice(0, -1)) target = target[key] ??= {};
  target[keys[keys.length - 1]] = value;
}

export const rateUnits = [{ value: '', label: '(none)' }, { value: 's', label: 'per second' }, { value: 'm', label: 'per minute' }, { value: 'h', label: 'per hour' }, { value: 'd', label: 'per day' }];
export const costUnits = [{ value: '', label: '(none)' }, { value: 'm', label: 'per minute' }, { value: 'h', label: 'per hour' }, { value: 'd', label: 'per day' }, { value: 'mo', label: 'per month' }];
