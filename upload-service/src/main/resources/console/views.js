// The console's views. Each takes the <main> element and an AbortSignal that fires when the user
// leaves the view (so a live stream stops), and fills <main> from the API.

import { followPush, get, post } from './api.js';
import { duration, external, h, replace, route, table, time } from './dom.js';
import { fold, kind, nextStep } from './timeline.js';

const enc = encodeURIComponent;

function stateBadge(state) {
  return h('span', { class: `state state-${String(state).replace(/[^a-z]/g, '')}` }, state);
}

function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, error.message);
}

/** The newest URLs each app came online at, from the audit trail: "<ns>/<app>" -> [url]. */
async function onlineUrls(namespace, app) {
  const query = new URLSearchParams({ type: 'dev.slipway.routes.ready.v1', limit: '1000' });
  if (namespace) {
    query.set('namespace', namespace);
  }
  if (app) {
    query.set('app', app);
  }
  const urls = new Map();
  for (const event of await get(`/api/v1/events?${query}`)) {
    const ref = event.data?.app;
    if (ref) {
      urls.set(`${ref.namespace}/${ref.name}`, event.data.urls ?? []);
    }
  }
  return urls;
}

function urlList(urls) {
  return urls.length === 0 ? h('span', { class: 'muted' }, 'none yet')
    : h('span', {}, urls.flatMap((url, index) => (index === 0 ? [external(url)] : [' ', external(url)])));
}

export async function apps(main) {
  replace(main, h('h1', {}, 'Apps'), h('p', { class: 'muted' }, 'Loading…'));
  const [list, urls] = await Promise.all([get('/api/v1/applications'), onlineUrls()]);
  const rows = list.map((app) => {
    const { namespace, name } = app.meta;
    return [namespace, route(['apps', namespace, name], name), stateBadge(app.status ?? 'created'),
      String(app.configuration?.instances ?? ''), urlList(urls.get(`${namespace}/${name}`) ?? []),
      app.stage_id ? route(['pushes', app.stage_id], 'latest push') : ''];
  });
  replace(main, h('h1', {}, 'Apps'), list.length === 0 ? h('p', {}, 'No apps yet: push one with slipway push.')
    : table(['Namespace', 'App', 'State', 'Instances', 'URLs', ''], rows));
}

function pushState(events) {
  let state = 'active';
  for (const event of events) {
    const name = kind(event);
    if (name === 'routes.ready') {
      state = 'online';
    } else if (name.endsWith('.failed')) {
      state = 'failed';
    } else if (name === 'push.superseded') {
      state = 'superseded';
    } else if (name.endsWith('.requested')) {
      state = 'active';
    }
  }
  return state;
}

async function rollback(namespace, app, status) {
  status.textContent = 'Rolling back…';
  const answer = await post(`/api/v1/namespaces/${enc(namespace)}/applications/${enc(app)}/rollback`, {});
  location.hash = `#/pushes/${enc(answer.id)}`;
}

function rollbackButton(namespace, app) {
  const status = h('span', { class: 'muted' });
  const button = h('button', {
    type: 'button', id: 'rollback',
    onclick: () => rollback(namespace, app, status).catch((error) => { status.textContent = error.message; }),
  }, 'Roll back to the previous release');
  return [button, status];
}

export async function app(main, signal, namespace, name) {
  replace(main, h('h1', {}, `${namespace}/${name}`), h('p', { class: 'muted' }, 'Loading…'));
  const base = `/api/v1/namespaces/${enc(namespace)}/applications/${enc(name)}`;
  const query = new URLSearchParams({ namespace, app: name, limit: '1000' });
  const [shown, events, urls] = await Promise.all([get(base), get(`/api/v1/events?${query}`),
    onlineUrls(namespace, name)]);
  const pushes = new Map();
  for (const event of events) {
    const id = event.correlationid ?? event.id;
    if (!pushes.has(id)) {
      pushes.set(id, []);
    }
    pushes.get(id).push(event);
  }
  const history = [...pushes.entries()].reverse().map(([id, own]) => [
    route(['pushes', id], id), id === shown.stage_id ? 'latest' : '', stateBadge(pushState(own)),
    time(own[0].time), time(own[own.length - 1].time)]);
  const release = shown.release;
  replace(main,
    h('h1', {}, `${namespace}/${name} `, stateBadge(shown.status ?? 'created')),
    table(['Instances', 'Routes', 'URLs', 'Release'], [[
      String(shown.configuration?.instances ?? ''), (shown.configuration?.routes ?? []).join(' '),
      urlList(urls.get(`${namespace}/${name}`) ?? []),
      release ? `revision ${release.revision} (${release.image}), since ${time(release.released_at)}` : 'none',
    ]]),
    shown.statusmessage ? h('p', { class: 'error' }, shown.statusmessage) : null,
    h('div', { class: 'actions' }, rollbackButton(namespace, name)),
    h('h2', {}, 'Pushes'),
    history.length === 0 ? h('p', { class: 'muted' }, 'No pushes in the event log.')
      : table(['Push', '', 'State', 'Started', 'Last event'], history));
}

function stageItem(stage) {
  return h('li', { class: `stage-${stage.state}`, 'data-stage': stage.name },
    h('div', { class: 'stage-head' }, h('span', { class: 'stage-name' }, stage.name),
      stateBadge(stage.state === 'active' ? 'running' : stage.state),
      h('span', { class: 'duration' }, stage.millis === null ? '…' : duration(stage.millis))),
    h('ul', { class: 'notes' }, stage.notes.map((note) => h('li', {}, note))));
}

export async function push(main, signal, pushId) {
  replace(main, h('h1', {}, `Push ${pushId}`), h('p', { class: 'muted' }, 'Loading…'));
  const summary = await get(`/api/v1/pushes/${enc(pushId)}`);
  const { namespace, name } = summary.app;
  const events = [];
  const seen = new Set();
  const live = h('span', { class: 'live', id: 'live' });
  const stagesList = h('ol', { class: 'timeline', id: 'timeline' });
  const failureBox = h('div', { id: 'failure' });
  const urlsLine = h('p', { id: 'urls' });
  const logBox = h('pre', { class: 'log', id: 'log' });
  let logShown = 0;
  const replayStage = h('select', { id: 'replay-stage' }, h('option', { value: '' }, 'the failed stage'),
    ['staging', 'deploy', 'routing'].map((stage) => h('option', { value: stage }, stage)));
  const replayStatus = h('span', { class: 'muted', id: 'replay-status' });
  const replayButton = h('button', { type: 'button', id: 'replay', class: 'primary' }, 'Replay');
  let following = false;
  let failed = false;

  // the API refuses (409) a replay while the push runs, and one without a stage unless the push failed
  const updateReplay = () => {
    let why = null;
    if (following) {
      why = 'The push has not ended yet; a replay waits for its end.';
    } else if (!failed && !replayStage.value) {
      why = 'The push did not fail: choose a stage to run it again anyway.';
    }
    replayButton.disabled = why !== null;
    if (why === null) {
      replayButton.removeAttribute('title');
    } else {
      replayButton.setAttribute('title', why);
    }
  };
  replayStage.addEventListener('change', updateReplay);

  const draw = () => {
    const view = fold(events);
    failed = view.failure !== null;
    updateReplay();
    replace(stagesList, view.stages.map(stageItem));
    replace(urlsLine, view.urls.length === 0 ? null : ['Online at ', urlList(view.urls)]);
    if (view.failure) {
      replace(failureBox, h('div', { class: 'failure' },
        h('div', {}, `Failed at ${view.failure.stage}: `, h('span', { class: 'reason' }, view.failure.reason)),
        h('div', { class: 'message' }, view.failure.message),
        h('div', { class: 'next' }, 'Next step: ', nextStep(view.failure))));
    } else if (view.supersededBy) {
      replace(failureBox, h('p', {}, 'Superseded by ', route(['pushes', view.supersededBy], view.supersededBy),
        ', a newer push of the app.'));
    } else {
      replace(failureBox);
    }
    // the log only grows: append the new lines as text
    if (view.log.length > logShown) {
      logBox.append(view.log.slice(logShown).join('\n') + '\n');
      logShown = view.log.length;
    }
    logBox.hidden = logShown === 0;
  };

  const follow = async () => {
    following = true;
    updateReplay();
    live.textContent = '● live';
    try {
      await followPush(pushId, (event) => {
        if (!seen.has(event.id)) {
          seen.add(event.id);
          events.push(event);
          draw();
        }
      }, signal);
      live.textContent = 'ended';
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      live.textContent = `stream stopped: ${error.message}`;
    } finally {
      following = false;
      updateReplay();
    }
  };

  replayButton.addEventListener('click', async () => {
    if (following) {
      return;
    }
    replayStatus.textContent = 'Replaying…';
    try {
      const body = replayStage.value ? { stage: replayStage.value } : {};
      const answer = await post(`/api/v1/pushes/${enc(pushId)}/replay`, body);
      replayStatus.textContent = `Replay of stage ${answer.stage} issued (event ${answer.id}).`;
      follow();
    } catch (error) {
      replayStatus.textContent = error.message;
    }
  });

  replace(main,
    h('h1', {}, 'Push ', h('span', { class: 'mono' }, pushId), ' ', live),
    h('p', {}, 'App ', route(['apps', namespace, name], `${namespace}/${name}`),
      `, started ${time(summary.startedAt)}`),
    stagesList, failureBox, urlsLine,
    h('div', { class: 'actions' }, replayButton, 'from', replayStage, replayStatus),
    h('div', { class: 'actions' }, rollbackButton(namespace, name)),
    h('h2', {}, 'Build log'), logBox);
  draw();
  await follow();
}

export async function webhooks(main) {
  replace(main, h('h1', {}, 'Webhooks'), h('p', { class: 'muted' }, 'Loading…'));
  const subscriptions = await get('/api/v1/subscriptions');
  replace(main, h('h1', {}, 'Webhooks'),
    subscriptions.length === 0 ? h('p', {}, 'No subscriptions.')
      : table(['Subscription', 'URL', 'Types', 'Namespace', 'App', 'Created'], subscriptions.map((subscription) => [
        route(['webhooks', subscription.id], subscription.id), h('span', { class: 'mono' }, subscription.url),
        (subscription.types ?? []).join(' ') || 'all', subscription.namespace ?? 'all', subscription.app ?? '',
        time(subscription.createdAt)])));
}

export async function deliveries(main, signal, id) {
  replace(main, h('h1', {}, `Deliveries of ${id}`), h('p', { class: 'muted' }, 'Loading…'));
  const [subscription, list] = await Promise.all([get(`/api/v1/subscriptions/${enc(id)}`),
    get(`/api/v1/subscriptions/${enc(id)}/deliveries`)]);
  replace(main, h('h1', {}, 'Deliveries of ', h('span', { class: 'mono' }, id)),
    h('p', {}, 'To ', h('span', { class: 'mono' }, subscription.url)),
    list.length === 0 ? h('p', { class: 'muted' }, 'Nothing delivered yet.')
      : table(['Event', 'Type', 'Push', 'Attempts', 'Answers', 'Last error', 'Delivered', 'At'],
        [...list].reverse().map((delivery) => [
          h('span', { class: 'mono' }, delivery.eventId), delivery.type,
          delivery.pushId ? route(['pushes', delivery.pushId], delivery.pushId) : '',
          String(delivery.attempts), (delivery.statusCodes ?? []).join(' '), delivery.lastError ?? '',
          stateBadge(delivery.delivered ? 'delivered' : 'not delivered'), time(delivery.at)])));
}

export { errorBox };
