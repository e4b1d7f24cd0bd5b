// What both progress components say about where the reader's progress is kept.
export const LOCAL_NOTE =
  'Your progress is kept only in this browser (its local storage). It is not sent anywhere, and another browser or device does not see it.';
