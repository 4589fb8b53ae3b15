import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/integrations/erp-1`): the server serves one page and never needs to know the console's
 * routes, and the OAuth redirect back to `/console/` keeps its query string to itself.
 */
export type Route =
  | { page: 'integrations' }
  | { page: 'integration'; id: string }
  | { page: 'events'; entityId?: string }
  | { page: 'not-found' };

export const parseRoute = (hash: string): Route => {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'integrations'))
    return { page: 'integrations' };
  if (parts.length === 2 && parts[0] === 'integrations' && parts[1]) {
    return { page: 'integration', id: decodeURIComponent(parts[1]) };
  }
  if (parts.length === 1 && parts[0] === 'events') {
    const entityId = new URLSearchParams(query).get('entity_id');
    return { page: 'events', ...(entityId && { entityId }) };
  }
  return { page: 'not-found' };
};

export const integrationHref = (id: string): string => `#/integrations/${encodeURIComponent(id)}`;
export const eventsHref = (entityId?: string): string =>
  entityId ? `#/events?${new URLSearchParams({ entity_id: entityId })}` : '#/events';

export const useRoute = (): Route => {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
};
