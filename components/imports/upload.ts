// The import upload, the one browser write that is not a server action: a multipart POST to /api/imports sent with
// XMLHttpRequest, because only it reports upload progress (see the README, "How the browser talks to the server").
type ErrorBody = { error?: { message?: string; issues?: { message: string }[] } };

function errorText(body: ErrorBody | null, fallback: string): string {
  const issues = body?.error?.issues?.map((i) => i.message).filter(Boolean) ?? [];
  return issues.length ? issues.join(" ") : (body?.error?.message ?? fallback);
}

/** POSTs the form with XMLHttpRequest: fetch cannot report upload progress. */
export function sendUpload(form: FormData, onProgress: (percent: number) => void, networkError: string): Promise<{ id: number }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/imports");
    xhr.responseType = "json";
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.floor((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      const body = xhr.response as ({ id?: number } & ErrorBody) | null;
      if (xhr.status === 201 && typeof body?.id === "number") resolve({ id: body.id });
      else reject(new Error(errorText(body, `${xhr.status} ${xhr.statusText}`)));
    };
    xhr.onerror = () => reject(new Error(networkError));
    xhr.send(form);
  });
}
