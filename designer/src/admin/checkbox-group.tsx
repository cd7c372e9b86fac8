/** A KERN fieldset of checkboxes for choosing several values (roles, groups). */
export function CheckboxGroup({
  id,
  legend,
  options,
  selected,
  error,
  onChange,
}: {
  id: string;
  legend: string;
  options: { value: string; label: string }[];
  selected: string[];
  error?: string;
  onChange: (selected: string[]) => void;
}) {
  return (
    <fieldset
      className={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`}
      id={id}
      tabIndex={-1}
      aria-describedby={error ? `${id}-fehler` : undefined}
    >
      <legend className="kern-label">{legend}</legend>
      {error && (
        <p className="kern-error" id={`${id}-fehler`}>
          <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span className="kern-body">{error}</span>
        </p>
      )}
      <div className="kern-fieldset__body">
        {options.map((option) => (
          <div className="kern-form-check" key={option.value}>
            <input
              className="kern-form-check__checkbox"
              type="checkbox"
              id={`${id}-${option.value}`}
              checked={selected.includes(option.value)}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? [...selected, option.value]
                    : selected.filter((value) => value !== option.value),
                )
              }
            />
            <label className="kern-label" htmlFor={`${id}-${option.value}`}>
              {option.label}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
