import { currentCorrelationId } from './correlation';

export interface AppLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const tagged = (message: string): string => {
  const id = currentCorrelationId();
  return id ? `${message} [correlation ${id}]` : message;
};

/**
 * The app's log: console (which the Functions worker attaches to the running invocation), each line tagged with
 * the invocation's correlation id so one filter finds everything a scan or a request caused. Messages name ids
 * and counts, never a secret value.
 */
export const appLog: AppLog = {
  info: (message) => console.log(tagged(message)),
  warn: (message) => console.warn(tagged(message)),
  error: (message) => console.error(tagged(message)),
};
